/** torchvision `CenterCrop` on a PIL image, for interleaved u8 pixels. */
import type { U8Pixels } from './resize.ts';

/** Python 3's `round()`: ties go to the even integer (round(18.5) == 18), unlike Math.round. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision: `top = int(round((h - crop) / 2.0))`, same for left. */
export function centerCropOffsets(width: number, height: number, crop: number): { left: number; top: number } {
  return { left: roundHalfEven((width - crop) / 2.0), top: roundHalfEven((height - crop) / 2.0) };
}

/** Copies the window [left, left + cropW) x [top, top + cropH); it must lie inside the image. */
export function cropPixels(
  src: U8Pixels,
  width: number,
  height: number,
  channels: number,
  left: number,
  top: number,
  cropW: number,
  cropH: number,
): Uint8Array {
  if (left < 0 || top < 0 || left + cropW > width || top + cropH > height) {
    throw new RangeError(`crop ${cropW}x${cropH}+${left}+${top} is outside the ${width}x${height} image`);
  }
  const out = new Uint8Array(cropW * cropH * channels);
  const rowLen = cropW * channels;
  for (let y = 0; y < cropH; y++) {
    const s = ((top + y) * width + left) * channels;
    out.set(src.subarray(s, s + rowLen), y * rowLen);
  }
  return out;
}
