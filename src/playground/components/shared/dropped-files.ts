/**
 * Files a user drops or picks, with their folder paths: the one walker of dropped folders (the
 * model loader, the bias probe and the dataset evaluation all take folders). A dropped folder is
 * walked with the FileSystemEntry API; a folder picked with <input webkitdirectory> comes with
 * webkitRelativePath.
 */

export interface PickedFile {
  /** "folder/sub/name.png" for files from folders, the file name otherwise. */
  path: string;
  file: File;
}

/** Files from an <input type=file> (with webkitdirectory, paths are relative to the chosen folder). */
export function filesFromList(list: FileList | readonly File[] | null): PickedFile[] {
  return [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** Every file of a drop in the order dropped, folders walked. Call it inside the drop handler. */
export function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  // Entries must be taken during the event: the DataTransfer is emptied once the handler returns.
  const entries = [...dt.items]
    .filter((i) => i.kind === 'file')
    .map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
  return (async () => {
    const out: PickedFile[] = [];
    for (const { entry, file } of entries) {
      if (entry?.isDirectory) await walk(entry as FileSystemDirectoryEntry, entry.name, out);
      else if (file) out.push({ path: file.name, file });
    }
    return out;
  })();
}

/** Orders files as the CLI lists a folder (JavaScript's default string order of the paths). */
export function byPath(a: PickedFile, b: PickedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

async function walk(dir: FileSystemDirectoryEntry, path: string, out: PickedFile[]): Promise<void> {
  const reader = dir.createReader();
  // readEntries returns at most 100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return;
    for (const e of batch) {
      const p = `${path}/${e.name}`;
      if (e.isDirectory) await walk(e as FileSystemDirectoryEntry, p, out);
      else
        out.push({ path: p, file: await new Promise<File>((ok, fail) => (e as FileSystemFileEntry).file(ok, fail)) });
    }
  }
}
