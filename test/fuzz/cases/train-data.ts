/**
 * Training data as `clip-webgpu train` reads it, built in a temp folder per case: open_clip CSV/TSV
 * text mutated (columns missing or renamed, the wrong separator, quoting with embedded separators and
 * newlines, BOM, CRLF, empty rows and captions, captions over 77 tokens, huge rows, non-UTF-8, binary
 * garbage), image paths that are missing, absolute, `..`-escaping, folders, devices or not images, and
 * img2dataset folders with missing pairs, empty or non-UTF-8 `.txt`, odd names. Each case reads the
 * data, then decodes and tokenizes (no truncation) the pairs as a training batch does. A ClipError of
 * the reader must be one bounded line naming the data; data only re-encoded (quoting, BOM, line
 * endings, blank rows, absolute or `..` paths) must read back to the very captions written.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { isClipError } from '../../../src/errors.ts';
import { ClipTokenizer } from '../../../src/model/tokenizer/bpe.ts';
import { decodeImageBytes } from '../../../src/node/decode-image.ts';
import { readTrainData, type CsvKeys } from '../../../src/node/train-data.ts';
import { TINY, TINY_IMAGES } from '../../helpers/fixtures.ts';
import type { CaseGenerator, Rng } from '../harness.ts';
import { bitFlips, scribble, truncate, utf8 } from '../mutate.ts';

let tokenizer: ClipTokenizer | undefined;
const tok = () =>
  (tokenizer ??= ClipTokenizer.fromVocabMerges(
    readFileSync(resolve(TINY, 'vocab.json'), 'utf8'),
    readFileSync(resolve(TINY, 'merges.txt'), 'utf8'),
  ));
const JPEG = resolve(__dirname, '../fixtures/grey_40x30.jpg');

const CAPTIONS = ['a photo of a cat', 'two dogs on grass', 'A RED CAR.', 'ünïcödé café 🐱', 'x'];
const TRICKY = ['a, b; c | d\te', 'he said ""hi""', 'line one\nline two', 'crlf\r\ninside', '"quoted"', ' padded '];
const SEPARATORS = ['\t', ',', ';', '|', ' :: '];

/** Paths a row may name instead of a good image (relative to the CSV's folder unless absolute). */
function oddPath(rng: Rng, dir: string): { path: string; valid: boolean } {
  return rng.pick<() => { path: string; valid: boolean }>([
    () => ({ path: join(dir, 'img1.png'), valid: true }),
    () => ({ path: `../${basename(dir)}/img2.png`, valid: true }),
    () => ({ path: './sub/../img3.png', valid: true }),
    () => ({ path: 'nope.png', valid: false }),
    () => ({ path: join(dir, 'gone', 'nope.jpg'), valid: false }),
    () => ({ path: '../../../../../../../../etc/hostname', valid: false }),
    () => ({ path: '', valid: false }),
    () => ({ path: '.', valid: false }),
    () => ({ path: 'sub/', valid: false }),
    () => ({ path: 'folder.png', valid: false }),
    () => ({ path: '/dev/null', valid: false }),
    () => ({ path: '/dev/zero', valid: false }),
    () => ({ path: 'notimage.png', valid: false }),
    () => ({ path: 'empty.png', valid: false }),
    () => ({ path: 'img0.png\u0000x', valid: false }),
    () => ({ path: 'a'.repeat(5000), valid: false }),
    () => ({ path: `${'d/'.repeat(3000)}x.png`, valid: false }),
    () => ({ path: '~/img0.png', valid: false }),
    () => ({ path: `file://${join(dir, 'img0.png')}`, valid: false }),
    () => ({ path: ' img0.png ', valid: false }),
    () => ({ path: 'dangling.png', valid: false }),
  ])();
}

/** A folder with the tiny images and the odd things a path may point at. */
function imagesFolder(dir: string): void {
  TINY_IMAGES.forEach((p, i) => copyFileSync(p, join(dir, `img${i}.png`)));
  mkdirSync(join(dir, 'sub'));
  copyFileSync(TINY_IMAGES[0], join(dir, 'sub', 'img0.png'));
  mkdirSync(join(dir, 'folder.png'));
  writeFileSync(join(dir, 'notimage.png'), 'not a png at all\n');
  writeFileSync(join(dir, 'empty.png'), '');
  symlinkSync(join(dir, 'missing-target.png'), join(dir, 'dangling.png'));
}

const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;

function csvCase(rng: Rng, dir: string): { data: string; keys: CsvKeys; label: string[]; expect?: string[] } {
  imagesFolder(dir);
  const sep = rng.pick(SEPARATORS);
  const custom = rng.chance(0.4);
  const header = custom ? ['image', 'caption'] : ['filepath', 'title'];
  if (rng.chance(0.3)) header.splice(rng.int(3), 0, 'extra');
  const keys: CsvKeys = {
    imgKey: custom ? 'image' : undefined,
    captionKey: custom ? 'caption' : undefined,
    separator: sep === '\t' && rng.chance(0.5) ? undefined : sep,
  };
  const rows = Array.from({ length: 1 + rng.int(6) }, (_, i) => ({
    path: `img${i % 4}.png`,
    caption: rng.pick(CAPTIONS),
    raw: false, // written as is: an unclosed or stray quote
  }));
  const label: string[] = [`csv sep ${JSON.stringify(sep)}`];
  let faithful = true; // only re-encoded: the captions must come back as written
  let eol = '\n';
  let bom = false;
  let blanks = false;
  let forceQuote = false;
  let rowText: ((cells: string[], i: number) => string) | undefined;
  let bytes: Uint8Array | undefined;
  const ops = 1 + rng.int(3);
  for (let k = 0; k < ops; k++) {
    const op = rng.int(20);
    const r = rows[rng.int(rows.length)];
    if (op === 0) {
      header.splice(header.indexOf(rng.pick(custom ? ['image', 'caption'] : ['filepath', 'title'])), 1);
      label.push('column missing');
      faithful = false;
    } else if (op === 1) {
      const i = header.findIndex((h) => h !== 'extra');
      header[i] = rng.pick([`${header[i]}_x`, header[i].toUpperCase(), ` ${header[i]}`, '']);
      label.push('column renamed');
      faithful = false;
    } else if (op === 2) {
      keys.separator = rng.pick([...SEPARATORS.filter((s) => s !== sep), '', '"', '\n', '\r\n', 'title', '\t\t']);
      label.push(`separator flag ${JSON.stringify(keys.separator)}`);
      faithful = false;
    } else if (op === 3) {
      keys.imgKey = rng.pick(['title', 'caption', '', '\uFEFFfilepath', 'filepath"']);
      label.push(`--csv-img-key ${JSON.stringify(keys.imgKey)}`);
      faithful = false;
    } else if (op === 4) {
      r.caption = rng.pick(TRICKY);
      label.push('quoted caption');
    } else if (op === 5) {
      forceQuote = true;
      label.push('every field quoted');
    } else if (op === 6) {
      bom = true;
      label.push('BOM');
    } else if (op === 7) {
      eol = rng.pick(['\r\n', '\r']);
      label.push(`line ends ${JSON.stringify(eol)}`);
    } else if (op === 8) {
      blanks = true;
      label.push('blank rows');
    } else if (op === 9) {
      r.caption = rng.pick(['', ' ', '\t', '\u00a0', '""']);
      label.push('empty caption');
      faithful = false;
    } else if (op === 10) {
      r.caption = 'word '.repeat(77 + rng.int(400));
      label.push('caption over 77 tokens');
      faithful = false;
    } else if (op === 11) {
      if (rng.chance(0.5)) r.caption = 'a'.repeat(200_000 + rng.int(800_000));
      else r.path = 'p'.repeat(200_000 + rng.int(800_000));
      label.push('huge row');
      faithful = false;
    } else if (op === 12) {
      const n = 2000 + rng.int(3000);
      for (let i = 0; i < n; i++) rows.push({ path: `img${i % 4}.png`, caption: `caption ${i}`, raw: false });
      label.push(`${rows.length} rows`);
    } else if (op === 13) {
      const extra = rng.chance(0.5);
      rowText = (cells, i) => {
        if (i !== rows.indexOf(r)) return cells.join(sep);
        return extra ? [...cells, 'more'].join(sep) : cells.slice(1).join(sep);
      };
      label.push(extra ? 'a row with an extra field' : 'a row missing a field');
      faithful = false;
    } else if (op === 14) {
      const stray = rng.chance(0.5);
      r.caption = stray ? `${r.caption}"${sep}x` : `"${r.caption}`;
      r.raw = true;
      label.push(stray ? 'stray quote' : 'unclosed quote');
      faithful = false;
    } else if (op === 15) {
      const p = oddPath(rng, dir);
      r.path = p.path;
      label.push(`path ${JSON.stringify(p.path.slice(0, 40))}`);
      faithful &&= p.valid;
    } else {
      // byte-level damage, applied after rendering
      bytes = new Uint8Array(0);
      label.push(['non-UTF-8 bytes', 'UTF-16', 'binary garbage', 'bit flips', 'truncated'][op - 16] ?? 'scribbled');
      faithful = false;
    }
  }
  const cell = (c: string) => (forceQuote || c.includes(sep) || /["\r\n]/.test(c) || c !== c.trim() ? quote(c) : c);
  const lines = [header.map(cell).join(sep)];
  rows.forEach((row, i) => {
    const cells = header.map((h) =>
      h === 'extra' ? 'x' : h === header.find((x) => x !== 'extra') ? row.path : row.caption,
    );
    const fields = cells.map((c) => (row.raw && c === row.caption ? c : cell(c)));
    lines.push(rowText ? rowText(fields, i) : fields.join(sep));
    if (blanks && rng.chance(0.5)) lines.push(rng.pick(['', '', sep.repeat(header.length - 1)]));
  });
  const text = `${bom ? '\uFEFF' : ''}${lines.join(eol)}${rng.chance(0.7) ? eol : ''}`;
  let out: Uint8Array = utf8(text);
  if (bytes) {
    const kind = label.at(-1);
    if (kind === 'non-UTF-8 bytes') out = scribble(out, rng);
    else if (kind === 'UTF-16') out = new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf16le'));
    else if (kind === 'binary garbage') out = Uint8Array.from({ length: rng.int(4096) }, () => rng.int(256));
    else if (kind === 'bit flips') out = bitFlips(out, rng, 1 + rng.int(8));
    else if (kind === 'truncated') out = truncate(out, rng);
    else out = scribble(out, rng);
  }
  const data = join(dir, rng.pick(['captions.csv', 'captions.tsv', 'data']));
  writeFileSync(data, out);
  const names = header.filter((h) => h !== 'extra');
  const ok = faithful && names[0] === (keys.imgKey ?? 'filepath') && names[1] === (keys.captionKey ?? 'title');
  return { data, keys, label, expect: ok && !blanksWithSeparatorRow(lines) ? rows.map((r) => r.caption) : undefined };
}

/** A blank row of separators only is a row of empty fields, which is an empty caption. */
const blanksWithSeparatorRow = (lines: string[]) => lines.some((l) => l !== '' && /^[\t,;| :]+$/.test(l));

/** Writes a file where a pair's file or folder may already be (an earlier mutation). */
function put(path: string, data: string | Uint8Array): void {
  gone(path);
  writeFileSync(path, data);
}
const gone = (path: string) => rmSync(path, { recursive: true, force: true });

function filesCase(rng: Rng, dir: string): { data: string; label: string[] } {
  const root = join(dir, 'files');
  mkdirSync(root);
  const shards = rng.chance(0.5) ? ['00000', '00001'] : [''];
  for (const s of shards) if (s) mkdirSync(join(root, s));
  const pairs: { base: string; ext: string }[] = [];
  for (let i = 0; i < 1 + rng.int(6); i++) {
    const base = join(root, rng.pick(shards), String(i).padStart(9, '0'));
    const ext = rng.pick(['.png', '.jpg']);
    copyFileSync(ext === '.png' ? TINY_IMAGES[i % 4] : JPEG, base + ext);
    writeFileSync(`${base}.txt`, rng.pick(CAPTIONS));
    pairs.push({ base, ext });
  }
  const label = [`img2dataset ${pairs.length} pairs${shards.length > 1 ? ' in shards' : ''}`];
  const ops = rng.int(3);
  for (let k = 0; k < ops; k++) {
    const p = rng.pick(pairs);
    const op = rng.int(12);
    if (op === 0) {
      gone(`${p.base}.txt`);
      label.push('missing .txt');
    } else if (op === 1) {
      gone(p.base + p.ext);
      label.push('missing image');
    } else if (op === 2) {
      put(`${p.base}.txt`, rng.pick(['', ' \n', '\uFEFF', '\r\n\r\n']));
      label.push('empty .txt');
    } else if (op === 3) {
      put(`${p.base}.txt`, new Uint8Array([0x61, 0xff, 0xfe, 0xc3, 0x28, 0x62]));
      label.push('non-UTF-8 .txt');
    } else if (op === 4) {
      put(`${p.base}.txt`, 'word '.repeat(77 + rng.int(2000)));
      label.push('caption over 77 tokens');
    } else if (op === 5) {
      gone(`${p.base}.txt`);
      mkdirSync(`${p.base}.txt`, { recursive: true });
      label.push('.txt is a folder');
    } else if (op === 6) {
      gone(p.base + p.ext);
      mkdirSync(p.base + p.ext, { recursive: true });
      label.push('image is a folder');
    } else if (op === 7) {
      put(p.base + p.ext, rng.pick(['', 'garbage', '\x89PNG\r\n\x1a\n']));
      label.push('image is garbage');
    } else if (op === 8) {
      const name = rng.pick(['a b', 'ünï', '', 'x.tar', 'UP', 'new\nline', '-rf', '#1', '0'.repeat(200)]);
      const ext = rng.pick(['.png', '.PNG', '.jpeg', '.JPG']);
      copyFileSync(TINY_IMAGES[0], join(root, name + ext));
      if (rng.chance(0.7)) writeFileSync(join(root, `${name}${rng.pick(['.txt', '.TXT'])}`), 'an odd name');
      label.push(`odd name ${JSON.stringify(name + ext)}`);
    } else if (op === 9) {
      const link = join(root, rng.pick(['loop', 'link.png']));
      gone(link);
      symlinkSync(rng.pick([root, join(root, 'nowhere.png')]), link);
      label.push('symlink');
    } else if (op === 10) {
      let deep = root;
      for (let d = 0; d < 50 + rng.int(100); d++) deep = join(deep, 'd');
      mkdirSync(deep, { recursive: true });
      copyFileSync(TINY_IMAGES[1], join(deep, '1.png'));
      writeFileSync(join(deep, '1.txt'), 'deep');
      label.push('deep nesting');
    } else {
      for (const q of pairs) gone(q.base + q.ext);
      writeFileSync(join(root, 'stats.json'), '{}');
      label.push('no images');
    }
  }
  return { data: root, label };
}

/** A data path that is not a CSV or a folder of pairs. */
function oddDataPath(rng: Rng, dir: string): { data: string; label: string[] } {
  const kind = rng.int(4);
  if (kind === 0) return { data: join(dir, 'missing.csv'), label: ['data missing'] };
  if (kind === 1) return { data: '/dev/null', label: ['data /dev/null'] };
  if (kind === 2) {
    mkdirSync(join(dir, 'empty'));
    return { data: join(dir, 'empty'), label: ['data an empty folder'] };
  }
  const fifo = join(dir, 'pipe.csv');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return { data: join(dir, 'missing.csv'), label: ['data missing'] };
  return { data: fifo, label: ['data a FIFO'] };
}

/** A reader's ClipError is one line, of bounded length, and names the data it is about. */
function checkMessage(message: string, data: string): void {
  if (/[\r\n]/.test(message)) throw new Error(`error message spans lines: ${JSON.stringify(message.slice(0, 200))}`);
  if (message.length > 2000) throw new Error(`error message of ${message.length} characters`);
  if (!message.includes(data)) throw new Error(`error message does not name ${data}: ${message.slice(0, 200)}`);
}

async function consume(data: string, keys: CsvKeys, expect: string[] | undefined): Promise<number> {
  let items: Awaited<ReturnType<typeof readTrainData>>;
  try {
    items = await readTrainData(data, keys);
  } catch (e) {
    if (isClipError(e)) checkMessage(e.message, data);
    throw e;
  }
  const captions = items.map((it) => it.caption);
  if (expect && JSON.stringify(captions) !== JSON.stringify(expect))
    throw new Error(`captions read back differ: ${JSON.stringify(captions.slice(0, 4)).slice(0, 200)}`);
  for (const it of items.slice(0, 8)) {
    decodeImageBytes(new Uint8Array(await readFile(it.image)), it.where);
    tok().tokenize([it.caption], 77, { truncate: false });
  }
  return items.length;
}

export const trainDataCases: CaseGenerator = (rng) => {
  const dir = mkdtempSync(join(tmpdir(), 'clip-fuzz-train-'));
  const kind = rng.int(10);
  try {
    const c =
      kind < 6
        ? csvCase(rng, dir)
        : kind < 9
          ? { ...filesCase(rng, dir), keys: {}, expect: undefined }
          : { ...oddDataPath(rng, dir), keys: {}, expect: undefined };
    return {
      label: c.label.join(', '),
      run: () => consume(c.data, c.keys, c.expect).finally(() => rmSync(dir, { recursive: true, force: true })),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
};
