/**
 * Folders of images as the engine's ImageItems: groups by top folder (bias probe), classes by
 * sub-folder (dataset evaluation). Images are .png/.jpg/.jpeg, as the CLI's folder walker takes them.
 */
import type { ImageItem } from '../../../model/bias/images.ts';
import { byPath, type PickedFile } from './dropped-files.ts';

const IMAGE = /\.(png|jpe?g)$/i;

export function isImageFile(f: PickedFile): boolean {
  return IMAGE.test(f.file.name);
}

/** An image file as an ImageItem (its bytes are read when it is encoded). */
export function fileItem(f: PickedFile, group: string): ImageItem {
  return { id: f.path, group, bytes: async () => new Uint8Array(await f.file.arrayBuffer()) };
}

/** Files by their top folder ("" for loose files), in first-seen order. */
export function byTopFolder(files: readonly PickedFile[]): Map<string, PickedFile[]> {
  const out = new Map<string, PickedFile[]>();
  for (const f of files) {
    const slash = f.path.indexOf('/');
    const top = slash < 0 ? '' : f.path.slice(0, slash);
    if (!out.has(top)) out.set(top, []);
    out.get(top)!.push(f);
  }
  return out;
}

/**
 * A labelled dataset from a folder's files: "root/class/image.png" (or "class/image.png" when class
 * folders were dropped themselves). Images deeper down or loose at the top are skipped, as are
 * non-images. Classes in JavaScript's default string order (as the CLI sorts folder names).
 */
export function classesFromFiles(files: readonly PickedFile[]): {
  classes: string[];
  items: ImageItem[];
  skipped: string[];
} {
  const parts = files.map((f) => f.path.split('/'));
  const firsts = new Set(parts.map((p) => p[0]));
  const strip = files.length > 0 && firsts.size === 1 && parts.every((p) => p.length >= 3) ? 1 : 0;
  const byClass = new Map<string, PickedFile[]>();
  const skipped: string[] = [];
  files.forEach((f, i) => {
    const rest = parts[i].slice(strip);
    if (rest.length !== 2 || !isImageFile(f)) return void skipped.push(f.path);
    if (!byClass.has(rest[0])) byClass.set(rest[0], []);
    byClass.get(rest[0])!.push(f);
  });
  const classes = [...byClass.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    classes,
    items: classes.flatMap((c) =>
      byClass
        .get(c)!
        .sort(byPath)
        .map((f) => fileItem(f, c)),
    ),
    skipped,
  };
}
