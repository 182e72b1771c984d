/**
 * Image folders on disk as ImageItems: a folder per probe group, or a dataset folder with one
 * sub-folder per class. Images are .png/.jpg/.jpeg (any case) directly inside a folder, sorted by
 * name (JavaScript's default string order); other files and nested folders are listed in `skipped`
 * (dotfiles are ignored). Nothing is read here beyond the directory listings: bytes are read when an
 * item is encoded.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageItem } from '../model/bias/images.ts';
import { ClipError } from '../errors.ts';

export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** An image file as an item (id = the path). */
export function fileImageItem(path: string, group: string): ImageItem {
  return { id: path, group, bytes: async () => new Uint8Array(await readFile(path)) };
}

export interface FolderImages {
  items: ImageItem[];
  /** Paths that are not images (or are folders), skipped. */
  skipped: string[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function entries(dir: string): Promise<{ name: string; path: string; isDir: boolean }[]> {
  let names: string[];
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new ClipError('not-found', `${dir} is a file, not a folder of images.`);
    names = await readdir(dir);
  } catch (e) {
    if (e instanceof ClipError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new ClipError('not-found', `Folder not found: ${dir}`, { cause: e });
    throw new ClipError('not-found', `Cannot read the folder ${dir}: ${(e as Error).message}`, { cause: e });
  }
  const out = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort(byName)) {
    const path = join(dir, name);
    let isDir = false;
    try {
      isDir = (await stat(path)).isDirectory(); // follows links
    } catch {
      // a dangling link: neither image nor folder
    }
    out.push({ name, path, isDir });
  }
  return out;
}

/** The images directly inside `dir`, all in `group`. */
export async function imageFolder(dir: string, group: string): Promise<FolderImages> {
  const items: ImageItem[] = [];
  const skipped: string[] = [];
  for (const e of await entries(dir)) {
    if (!e.isDir && isImageFile(e.name)) items.push(fileImageItem(e.path, group));
    else skipped.push(e.path);
  }
  return { items, skipped };
}

/**
 * A labelled dataset: every sub-folder of `root` is a class (its name is the label), in JavaScript's
 * default string order, empty ones included; its images are the items of that class. Files in `root` itself are skipped.
 */
export async function classFolders(root: string): Promise<FolderImages & { classes: string[] }> {
  const classes: string[] = [];
  const items: ImageItem[] = [];
  const skipped: string[] = [];
  for (const e of await entries(root)) {
    if (!e.isDir) {
      skipped.push(e.path);
      continue;
    }
    classes.push(e.name);
    const inner = await imageFolder(e.path, e.name);
    items.push(...inner.items);
    skipped.push(...inner.skipped);
  }
  return { classes, items, skipped };
}
