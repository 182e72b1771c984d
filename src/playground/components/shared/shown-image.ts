/** Turning what a user drops, pastes or picks into an image the engine can read, with a preview. */
import { ClipError } from '../../../errors.ts';
import type { ImageInput } from '../../../model/platform.ts';

export interface ShownImage {
  input: ImageInput;
  /** A URL for the <img> preview. */
  preview: string;
  name: string;
  /** Object URL to revoke when the image is replaced. */
  objectUrl?: string;
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp|avif|ico)$/i;

/** A File/Blob as an image, or a ClipError saying why it is not one. */
export function imageFromFile(file: Blob, name = (file as File).name ?? 'image'): ShownImage {
  const typeOk = file.type ? file.type.startsWith('image/') && file.type !== 'image/svg+xml' : IMAGE_EXT.test(name);
  if (!typeOk) {
    const kind =
      file.type === 'image/svg+xml'
        ? 'an SVG drawing (vector images cannot be decoded here)'
        : `not an image (${file.type || 'unknown type'})`;
    throw new ClipError('image', `"${name}" is ${kind}. Drop a PNG, JPEG, WebP, GIF or BMP file.`);
  }
  if (file.size === 0) throw new ClipError('image', `"${name}" is empty (0 bytes).`);
  const objectUrl = URL.createObjectURL(file);
  return { input: file, preview: objectUrl, name, objectUrl };
}

/**
 * Decodes a file once before it replaces the shown image, so a damaged file leaves the current image
 * (and its result) in place with a message, instead of a broken preview.
 */
export async function assertDecodable(file: Blob, name = (file as File).name ?? 'image'): Promise<void> {
  try {
    (await createImageBitmap(file)).close();
  } catch {
    throw new ClipError(
      'image',
      `"${name}" could not be decoded as an image: the file may be damaged, or in a format this browser cannot read.`,
    );
  }
}

/** Any ImageInput a page sets on the `image` property, with something to preview it by. */
export function imageFromInput(input: ImageInput): ShownImage {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return imageFromFile(input);
  if (typeof input === 'string') return { input, preview: input, name: input.split('/').pop() || 'image' };
  if (input instanceof HTMLImageElement) return { input, preview: input.currentSrc || input.src, name: 'image' };
  if (input instanceof HTMLCanvasElement) return { input, preview: input.toDataURL(), name: 'canvas' };
  if (input instanceof ImageData || input instanceof ImageBitmap) {
    const c = Object.assign(document.createElement('canvas'), { width: input.width, height: input.height });
    const ctx = c.getContext('2d')!;
    if (input instanceof ImageData) ctx.putImageData(input, 0, 0);
    else ctx.drawImage(input, 0, 0);
    return { input, preview: c.toDataURL(), name: 'image' };
  }
  return { input, preview: '', name: 'image' };
}

/** The first image file of a drop or paste, or a URL dragged from another page. */
export function imageFromTransfer(dt: DataTransfer): ShownImage | null {
  const file = [...dt.files][0];
  if (file) return imageFromFile(file);
  const uri = dt
    .getData('text/uri-list')
    .split('\n')
    .find((l) => l && !l.startsWith('#'));
  if (uri && /^https?:/i.test(uri.trim()))
    return { input: uri.trim(), preview: uri.trim(), name: uri.trim().split('/').pop() || 'image' };
  return null;
}

/** Something drawImage takes, for a shown image (to draw it under an overlay). */
export async function drawableOf(shown: ShownImage): Promise<CanvasImageSource> {
  const input = shown.input;
  if (input instanceof HTMLCanvasElement || input instanceof HTMLImageElement || input instanceof ImageBitmap)
    return input;
  if (input instanceof ImageData || input instanceof Blob) return createImageBitmap(input);
  const img = new Image();
  img.crossOrigin = 'anonymous';
  img.src = typeof input === 'string' ? input : shown.preview;
  await img.decode();
  return img;
}
