/**
 * Training data as open_clip reads it: a CSV/TSV with an image-path column and a caption column
 * (--csv-img-key, --csv-caption-key, --csv-separator; defaults filepath, title, tab), or an
 * img2dataset "files" folder (NNNN.jpg|png beside NNNN.txt, in shard sub-folders or not). Relative
 * image paths in a CSV are taken from the CSV's folder. Every problem names its row or file.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ClipError } from '../errors.ts';
import { isImageFile } from './image-folder.ts';
import { parseDelimited } from '../model/train/data.ts';

export { epochOrder, parseDelimited } from '../model/train/data.ts';

export interface CaptionedImage {
  image: string;
  caption: string;
  /** Where it came from, for messages: "captions.csv row 12" or the image file. */
  where: string;
}

export interface CsvKeys {
  imgKey?: string;
  captionKey?: string;
  separator?: string;
}

export async function readTrainData(path: string, keys: CsvKeys = {}): Promise<CaptionedImage[]> {
  const s = await stat(path).catch(() => {
    throw new ClipError('not-found', `No such file or folder: ${path}`);
  });
  // A FIFO or device would be read forever.
  if (!s.isDirectory() && !s.isFile())
    throw new ClipError('input', `${path} is not a regular file or a folder of image-caption pairs.`);
  const items = s.isDirectory() ? await filesFolder(path) : await csvRows(path, keys);
  if (items.length === 0) throw new ClipError('input', `${path} holds no image-caption pairs.`);
  for (const it of items) {
    if (!it.caption.trim()) throw new ClipError('input', `${it.where}: empty caption.`);
    if (it.image === '') throw new ClipError('input', `${it.where}: empty image path.`);
    const kind = await stat(it.image).then(
      (x) => (x.isFile() ? 'file' : x.isDirectory() ? 'a folder' : 'not a regular file'),
      () => 'missing',
    );
    if (kind === 'missing') throw new ClipError('input', `${it.where}: image ${shown(it.image)} does not exist.`);
    if (kind !== 'file') throw new ClipError('input', `${it.where}: image ${shown(it.image)} is ${kind}.`);
  }
  return items;
}

/** A value from the data inside a message: quoted (so it stays one line) and cut to a readable length. */
function shown(v: string): string {
  return JSON.stringify(v.length > 120 ? `${v.slice(0, 120)}…` : v);
}

/** UTF-8 text of a data file; other bytes are an error naming the line (not captions of U+FFFD). */
async function readUtf8(file: string): Promise<string> {
  const bytes = await readFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const line = text.slice(0, Math.max(0, text.indexOf('\uFFFD'))).split('\n').length;
    throw new ClipError('input', `${shown(file)} line ${line}: not UTF-8 text (save it as UTF-8).`);
  }
}

async function csvRows(
  file: string,
  { imgKey = 'filepath', captionKey = 'title', separator = '\t' }: CsvKeys,
): Promise<CaptionedImage[]> {
  if (separator === '' || /["\r\n]/.test(separator))
    throw new ClipError(
      'input',
      `--csv-separator ${shown(separator)} for ${file}: give a non-empty one without quotes or newlines.`,
    );
  const rows = parseDelimited(await readUtf8(file), separator, file);
  const header = rows.shift() ?? [];
  const col = (key: string, flag: string) => {
    const i = header.indexOf(key);
    if (i < 0) {
      const names = header.slice(0, 20).map(shown).join(', ') + (header.length > 20 ? ', …' : '');
      throw new ClipError(
        'input',
        `${file} has no column ${shown(key)} (${flag}); its columns are ${names || 'none'} (separator ${JSON.stringify(separator)}).`,
      );
    }
    return i;
  };
  const ic = col(imgKey, '--csv-img-key'),
    cc = col(captionKey, '--csv-caption-key');
  const dir = dirname(file);
  return rows
    .map((r, i) => ({ r, where: `${file} row ${i + 2}` }))
    .filter(({ r }) => r.length > 1 || r[0] !== '')
    .map(({ r, where }) => {
      if (r.length !== header.length)
        throw new ClipError('input', `${where}: ${r.length} fields, the header has ${header.length}.`);
      return { image: resolve(dir, r[ic]), caption: r[cc], where };
    });
}

async function filesFolder(root: string): Promise<CaptionedImage[]> {
  const out: CaptionedImage[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (isImageFile(e.name)) {
        const txt = join(dir, `${basename(e.name, extname(e.name))}.txt`);
        const found = await stat(txt).then(
          (x) => x.isFile(),
          () => false,
        );
        if (!found)
          throw new ClipError(
            'input',
            `${shown(p)}: no caption file ${shown(txt)} beside it (img2dataset folders pair NNNN.jpg with NNNN.txt).`,
          );
        const caption = await readUtf8(txt);
        out.push({ image: p, caption: caption.trim(), where: shown(p) });
      }
    }
  };
  await walk(root);
  return out;
}
