/**
 * Files a user drops or picks, with their folder paths, as the engine's ImageItems. A dropped folder
 * is walked (FileSystemEntry API); a folder picked with <input webkitdirectory> comes with
 * webkitRelativePath. Images are .png/.jpg/.jpeg, as the CLI's folder walker takes them.
 */
import type { ImageItem } from '../../../model/bias/images.ts';

export interface PickedFile {
  /** "folder/sub/name.png" for files from folders, the file name otherwise. */
  path: string;
  file: File;
}

const IMAGE = /\.(png|jpe?g)$/i;

export function isImageFile(f: PickedFile): boolean {
  return IMAGE.test(f.file.name);
}

/** An image file as an ImageItem (its bytes are read when it is encoded). */
export function fileItem(f: PickedFile, group: string): ImageItem {
  return { id: f.path, group, bytes: async () => new Uint8Array(await f.file.arrayBuffer()) };
}

export function filesFromList(list: FileList | readonly File[]): PickedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** Every file of a drop, folders walked. Items must be taken during the drop event: call it there. */
export function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = [...dt.items].filter((i) => i.kind === 'file').map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
  return (async () => {
    const out: PickedFile[] = [];
    for (const { entry, file } of entries) {
      if (entry?.isDirectory) await walk(entry as FileSystemDirectoryEntry, entry.name, out);
      else if (file) out.push({ path: file.name, file });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  })();
}

async function walk(dir: FileSystemDirectoryEntry, path: string, out: PickedFile[]): Promise<void> {
  const reader = dir.createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return;
    for (const e of batch) {
      const p = `${path}/${e.name}`;
      if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, p, out);
      else out.push({ path: p, file: await new Promise<File>((ok, fail) => (e as FileSystemFileEntry).file(ok, fail)) });
    }
  }
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
export function classesFromFiles(files: readonly PickedFile[]): { classes: string[]; items: ImageItem[]; skipped: string[] } {
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
  const byPath = (a: PickedFile, b: PickedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { classes, items: classes.flatMap((c) => byClass.get(c)!.sort(byPath).map((f) => fileItem(f, c))), skipped };
}

/** Saves text as a file through a temporary link. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
