/**
 * The Train tab's data as TrainingPairs: a world generated in the page, or dropped files laid out as
 * img2dataset writes them (NNNN.png|jpg beside NNNN.txt) or as an open_clip CSV/TSV with its images.
 * Captions are tokenized up front, so a caption the model cannot take is an error before training;
 * images are decoded when their first batch needs them, and kept.
 */
import { ClipError } from '../../../errors.ts';
import type { ClipModel } from '../../../model/clip.ts';
import { parseDelimited } from '../../../model/train/data.ts';
import type { TrainingPairs } from '../../../model/train/session.ts';
import { worldScenes, type Scene } from '../../../model/world/scene.ts';
import { byPath, type PickedFile } from '../shared/dropped-files.ts';
import { isImageFile } from '../shared/image-folders.ts';

export interface TrainingData {
  pairs: TrainingPairs;
  /** What it is, for the summary line: "world of 256 scenes (seed 1)", "captions.csv". */
  description: string;
  /** A URL to show pair i's image (a data URL or an object URL). */
  thumbnail(i: number): string;
  /** Frees object URLs. */
  dispose(): void;
}

export interface WorldDataOptions {
  n: number;
  seed: number;
  /** Objects per scene, 1-3, or a [min, max] range. */
  objects: number | [number, number];
}

/** A value from the data inside a message, quoted and cut to a readable length. */
const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

function tokenizeAll(model: ClipModel, captions: readonly string[], where: (i: number) => string): Int32Array[] {
  return captions.map((c, i) => {
    if (!c.trim()) throw new ClipError('input', `${where(i)}: empty caption.`);
    try {
      return model.tokenize(c)[0];
    } catch (e) {
      if (e instanceof ClipError) throw new ClipError(e.code, `${where(i)}: ${e.message}`, { cause: e });
      throw e;
    }
  });
}

/** Scenes of the procedural world at the model's input size (the CLI's `world` with the same options). */
export async function worldData(model: ClipModel, o: WorldDataOptions): Promise<TrainingData> {
  const S = model.config.vision.imageSize;
  const scenes: Scene[] = [];
  for (const scene of worldScenes({ n: o.n, seed: o.seed, size: S, objects: o.objects })) {
    scenes.push(scene);
    if (scenes.length % 32 === 0) await new Promise((resolve) => setTimeout(resolve, 0)); // keep the page painting
  }
  const ids = tokenizeAll(
    model,
    scenes.map((s) => s.caption),
    (i) => `scene ${i}`,
  );
  const raw = scenes.map((s) => ({ width: S, height: S, channels: 4 as const, data: s.pixels }));
  const pixels = (await model.prepareImages(raw)).map((p) => p.pixels);
  const thumbs = new Map<number, string>();
  return {
    description: `world of ${o.n} scenes (seed ${o.seed})`,
    pairs: {
      count: scenes.length,
      caption: (i) => scenes[i].caption,
      load: async (i) => ({ pixels: pixels[i], ids: ids[i] }),
    },
    thumbnail(i) {
      let url = thumbs.get(i);
      if (!url) {
        const canvas = Object.assign(document.createElement('canvas'), { width: S, height: S });
        canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(scenes[i].pixels), S, S), 0, 0);
        url = canvas.toDataURL();
        thumbs.set(i, url);
      }
      return url;
    },
    dispose: () => thumbs.clear(),
  };
}

interface Pair {
  image: PickedFile;
  caption: string;
  where: string;
}

/** UTF-8 text of a dropped file; other bytes are an error naming it. */
async function utf8(f: PickedFile): Promise<string> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await f.file.arrayBuffer());
  } catch {
    throw new ClipError('input', `${shown(f.path)} is not UTF-8 text (save it as UTF-8).`);
  }
}

const stem = (path: string) => path.replace(/\.[^./]+$/, '');
const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/** img2dataset's "files" layout: every image with the .txt of the same name beside it. */
async function img2datasetPairs(files: readonly PickedFile[]): Promise<Pair[]> {
  const texts = new Map(files.filter((f) => /\.txt$/i.test(f.path)).map((f) => [stem(f.path), f]));
  const pairs: Pair[] = [];
  for (const f of files.filter(isImageFile)) {
    const txt = texts.get(stem(f.path));
    if (!txt)
      throw new ClipError(
        'input',
        `${shown(f.path)}: no caption file ${shown(`${stem(f.path)}.txt`)} beside it (img2dataset folders pair NNNN.png with NNNN.txt).`,
      );
    pairs.push({ image: f, caption: (await utf8(txt)).trim(), where: shown(f.path) });
  }
  return pairs;
}

export interface CsvKeys {
  imgKey: string;
  captionKey: string;
}

/** An open_clip CSV/TSV (tab-separated unless the header has no tab and a comma); image paths relative to it. */
async function csvPairs(csv: PickedFile, files: readonly PickedFile[], keys: CsvKeys): Promise<Pair[]> {
  const text = await utf8(csv);
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const sep = /\.tsv$/i.test(csv.path) || firstLine.includes('\t') || !firstLine.includes(',') ? '\t' : ',';
  const rows = parseDelimited(text, sep, csv.path);
  const header = rows.shift() ?? [];
  const col = (key: string, what: string) => {
    const i = header.indexOf(key);
    if (i < 0)
      throw new ClipError(
        'input',
        `${csv.path} has no ${what} column ${shown(key)}; its columns are ${header.map(shown).join(', ') || 'none'}.`,
      );
    return i;
  };
  const ic = col(keys.imgKey, 'image'),
    cc = col(keys.captionKey, 'caption');
  const byPathMap = new Map(files.map((f) => [f.path, f]));
  const base = folderOf(csv.path);
  return rows
    .map((r, i) => ({ r, where: `${csv.path} row ${i + 2}` }))
    .filter(({ r }) => r.length > 1 || r[0] !== '')
    .map(({ r, where }) => {
      if (r.length !== header.length)
        throw new ClipError('input', `${where}: ${r.length} fields, the header has ${header.length}.`);
      const rel = r[ic].replace(/^\.\//, '');
      const image =
        byPathMap.get(base + rel) ?? files.find((f) => f.path === rel || f.path.endsWith(`/${rel}`)) ?? null;
      if (!image) throw new ClipError('input', `${where}: image ${shown(r[ic])} is not among the dropped files.`);
      return { image, caption: r[cc], where };
    });
}

/** Dropped or picked files as training data (a CSV/TSV among them wins over the img2dataset layout). */
export async function droppedData(
  model: ClipModel,
  picked: readonly PickedFile[],
  keys: CsvKeys,
): Promise<TrainingData> {
  const files = [...picked].sort(byPath);
  const csv = files.find((f) => /\.(csv|tsv)$/i.test(f.path));
  const pairs = csv ? await csvPairs(csv, files, keys) : await img2datasetPairs(files);
  if (pairs.length === 0)
    throw new ClipError(
      'input',
      'No image-caption pairs: drop an img2dataset folder (NNNN.png beside NNNN.txt) or an open_clip CSV with its images.',
    );
  const ids = tokenizeAll(
    model,
    pairs.map((p) => p.caption),
    (i) => pairs[i].where,
  );
  const pixels = new Map<number, Float32Array>();
  const urls = new Map<number, string>();
  return {
    description: csv ? csv.path : `${pairs.length} captioned images`,
    pairs: {
      count: pairs.length,
      caption: (i) => pairs[i].caption,
      async load(i) {
        let p = pixels.get(i);
        if (!p) {
          try {
            [{ pixels: p }] = await model.prepareImages([pairs[i].image.file]);
          } catch (e) {
            if (e instanceof ClipError) throw new ClipError(e.code, `${pairs[i].where}: ${e.message}`, { cause: e });
            throw e;
          }
          pixels.set(i, p);
        }
        return { pixels: p, ids: ids[i] };
      },
    },
    thumbnail(i) {
      let url = urls.get(i);
      if (!url) urls.set(i, (url = URL.createObjectURL(pairs[i].image.file)));
      return url;
    },
    dispose() {
      for (const u of urls.values()) URL.revokeObjectURL(u);
      urls.clear();
    },
  };
}
