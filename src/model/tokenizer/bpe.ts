/**
 * CLIP's byte-level BPE tokenizer, matching OpenAI's clip/simple_tokenizer.py SimpleTokenizer
 * and clip.tokenize(context_length=77, truncate=True) id for id (ftfy.fix_text = identity).
 * Browser- and Node-safe: no I/O here, see load.ts / src/node/tokenizer-files.ts for reading files.
 */
import { ClipError } from '../../errors.ts';
import { cleanText, PY_REGEX_SPACE } from './clean.ts';

export const SOT_TOKEN = '<|startoftext|>';
export const EOT_TOKEN = '<|endoftext|>';
export const CONTEXT_LENGTH = 77;
/** simple_tokenizer keeps merges[1 : 49152-256-2+1] of the BPE file: 48894 merges. */
export const CLIP_MERGE_COUNT = 49152 - 256 - 2;

/**
 * The pre-tokenizer of simple_tokenizer (regex module, IGNORECASE), applied to lower-cased text.
 * Rewritten without the `i` flag because JS and the regex module disagree under it:
 * - `s` also matches U+017F (long s) in the regex module, so it is spelled [sſ];
 * - U+0345 matches neither `[\p{L}]` nor `[^\s\p{L}\p{N}]` there (so Python drops it), while JS /iu
 *   counts it as a letter: it is excluded from the last class;
 * - `\s` is the regex module's set (PY_REGEX_SPACE), not JS's.
 * Verified against Python over every code point.
 */
const PRE_TOKENIZER = new RegExp(
  `<\\|[sſ]tartoftext\\|>|<\\|endoftext\\|>|'[sſ]|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^${PY_REGEX_SPACE}\\p{L}\\p{N}\\u0345]+`,
  'gu',
);

/** GPT-2's bytes_to_unicode: byte -> printable symbol, in the vocab order (printables first). */
export function bytesToUnicode(): { byteToSymbol: string[]; vocabOrder: string[] } {
  const byteToSymbol: string[] = new Array(256);
  const printable: number[] = [];
  for (let b = 0; b < 256; b++) {
    if ((b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)) printable.push(b);
  }
  const order = [...printable];
  for (const b of printable) byteToSymbol[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (byteToSymbol[b] === undefined) {
      byteToSymbol[b] = String.fromCharCode(256 + n++);
      order.push(b);
    }
  }
  return { byteToSymbol, vocabOrder: order.map((b) => byteToSymbol[b]) };
}

export interface TokenizeOptions {
  /** Cut over-long prompts to contextLength with EOT last (default true, as CLIP's zero-shot code). */
  truncate?: boolean;
}

export interface TokenizeResult {
  /** One row per text, each contextLength long: [SOT, ...bpe, EOT, 0, 0, ...]. */
  ids: Int32Array[];
  /** Whether the text was cut to fit. */
  truncated: boolean[];
  /** First position of the largest id (the EOT, or an earlier literal <|endoftext|>): where CLIP pools. */
  eotIndex: number[];
}

const CACHE_LIMIT = 50_000;

export class ClipTokenizer {
  readonly sotId: number;
  readonly eotId: number;
  private readonly encoder: Map<string, number>;
  private readonly decoder: (string | undefined)[];
  /** "a b" -> merge rank. Byte symbols never contain a space, so the key is unambiguous. */
  private readonly ranks = new Map<string, number>();
  private readonly byteToSymbol: string[];
  private readonly symbolToByte = new Map<string, number>();
  /** Pre-token (lower-cased text piece) -> its ids; bounded, oldest entries evicted first. */
  private readonly cache = new Map<string, readonly number[]>();

  /**
   * Low-level: prefer the static factories. `vocab` maps token -> id, `merges` are in rank order.
   * Throws ClipError('tokenizer') when the two cannot form a working CLIP tokenizer.
   */
  constructor(vocab: Map<string, number> | Record<string, number>, merges: ReadonlyArray<readonly [string, string]>) {
    this.encoder = vocab instanceof Map ? vocab : new Map(Object.entries(vocab));
    this.decoder = [];
    for (const [token, id] of this.encoder) {
      if (!Number.isInteger(id) || id < 0)
        throw new ClipError(
          'tokenizer',
          `Vocabulary entry ${JSON.stringify(token)} has id ${id}; ids must be non-negative integers.`,
        );
      this.decoder[id] = token;
    }
    merges.forEach(([a, b], rank) => this.ranks.set(a + ' ' + b, rank)); // a repeated merge keeps its last rank, like Python's dict
    this.byteToSymbol = bytesToUnicode().byteToSymbol;
    this.byteToSymbol.forEach((s, b) => this.symbolToByte.set(s, b));

    const missing = (t: string) => !this.encoder.has(t);
    for (const special of [SOT_TOKEN, EOT_TOKEN]) {
      if (missing(special))
        throw new ClipError('tokenizer', `The vocabulary has no ${special} token; this is not a CLIP vocabulary.`);
    }
    const lost = this.byteToSymbol.flatMap((s) => [s, s + '</w>']).filter(missing);
    if (lost.length)
      throw new ClipError(
        'tokenizer',
        `The vocabulary lacks ${lost.length} of the 512 byte symbols (e.g. ${JSON.stringify(lost[0])}); this is not a CLIP byte-level BPE vocabulary.`,
      );
    const bad = merges.findIndex(([a, b]) => missing(a + b));
    if (bad >= 0) {
      const [a, b] = merges[bad];
      throw new ClipError(
        'tokenizer',
        `Merge #${bad + 1} "${a} ${b}" produces ${JSON.stringify(a + b)}, which is not in the vocabulary: vocab and merges do not belong together.`,
      );
    }
    this.sotId = this.encoder.get(SOT_TOKEN)!;
    this.eotId = this.encoder.get(EOT_TOKEN)!;
  }

  /** From HF's vocab.json + merges.txt (the `#version` header is skipped; at most 48894 merges, as HF's CLIPTokenizer). */
  /**
   * The tokenizer as Hugging Face's two files (vocab.json, merges.txt with its `#version` header):
   * what a checkpoint written from memory (the playground's Train tab) carries beside its weights.
   */
  toVocabMerges(): { vocabJson: string; mergesTxt: string } {
    const byRank = [...this.ranks].sort((a, b) => a[1] - b[1]).map(([pair]) => pair);
    return {
      vocabJson: JSON.stringify(Object.fromEntries(this.encoder)),
      mergesTxt: `#version: 0.2\n${byRank.join('\n')}\n`,
    };
  }

  static fromVocabMerges(vocabJson: Record<string, number> | string, mergesTxt: string): ClipTokenizer {
    const vocab = typeof vocabJson === 'string' ? parseJson(vocabJson, 'vocab.json') : vocabJson;
    if (!isPlainObject(vocab))
      throw new ClipError('tokenizer', 'vocab.json must be a JSON object mapping tokens to ids.');
    const lines = mergesTxt.trim().split('\n');
    if (lines[0]?.startsWith('#version')) lines.shift();
    const merges = lines
      .filter((l) => l.trim() !== '')
      .slice(0, CLIP_MERGE_COUNT)
      .map((line, i) => parseMergeLine(line, `merges.txt line ${i + 2}`));
    return new ClipTokenizer(vocab as Record<string, number>, merges);
  }

  /** From a Hugging Face fast-tokenizer file (tokenizer.json): model.vocab + model.merges ("a b" or [a, b]). */
  static fromTokenizerJson(json: object | string): ClipTokenizer {
    const root = typeof json === 'string' ? parseJson(json, 'tokenizer.json') : json;
    const model = isPlainObject(root) ? root.model : undefined;
    if (!isPlainObject(model) || !isPlainObject(model.vocab) || !Array.isArray(model.merges)) {
      throw new ClipError(
        'tokenizer',
        'tokenizer.json has no model.vocab object and model.merges array; is it a BPE tokenizer file?',
      );
    }
    if (model.type !== undefined && model.type !== 'BPE')
      throw new ClipError('tokenizer', `tokenizer.json holds a ${String(model.type)} model; CLIP needs BPE.`);
    const merges = model.merges.map((m: unknown, i: number): [string, string] => {
      if (typeof m === 'string') return parseMergeLine(m, `tokenizer.json model.merges[${i}]`);
      if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string')
        return [m[0], m[1]];
      throw new ClipError(
        'tokenizer',
        `tokenizer.json model.merges[${i}] is ${JSON.stringify(m)}; expected "a b" or ["a", "b"].`,
      );
    });
    return new ClipTokenizer(model.vocab as Record<string, number>, merges);
  }

  /** From the decompressed text of OpenAI's bpe_simple_vocab_16e6.txt.gz, building the vocab as simple_tokenizer does. */
  static fromOpenAIBpe(mergesText: string): ClipTokenizer {
    const lines = mergesText.split('\n').slice(1, CLIP_MERGE_COUNT + 1);
    if (lines.length < CLIP_MERGE_COUNT) {
      throw new ClipError(
        'tokenizer',
        `The BPE file has ${lines.length} merges after its header; CLIP needs ${CLIP_MERGE_COUNT}. Is it truncated?`,
      );
    }
    const merges = lines.map((line, i) => parseMergeLine(line, `BPE file line ${i + 2}`));
    const symbols = bytesToUnicode().vocabOrder;
    const tokens = [
      ...symbols,
      ...symbols.map((s) => s + '</w>'),
      ...merges.map(([a, b]) => a + b),
      SOT_TOKEN,
      EOT_TOKEN,
    ];
    const vocab = new Map<string, number>();
    tokens.forEach((t, id) => vocab.set(t, id)); // a repeated token keeps its last id, like dict(zip(vocab, range))
    return new ClipTokenizer(vocab, merges);
  }

  get vocabSize(): number {
    return this.decoder.length;
  }

  /** Ids without SOT/EOT, as SimpleTokenizer.encode. */
  encode(text: string): number[] {
    return this.encodeUpTo(text, Infinity);
  }

  /**
   * clip.tokenize: [SOT, ...encode(text), EOT] zero-padded to contextLength. Over-long texts are cut
   * to contextLength with EOT last (truncate: true, the default) or rejected with ClipError('input').
   */
  tokenize(
    texts: string | readonly string[],
    contextLength = CONTEXT_LENGTH,
    { truncate = true }: TokenizeOptions = {},
  ): TokenizeResult {
    if (!Number.isInteger(contextLength) || contextLength < 1) {
      throw new ClipError('input', `contextLength must be a positive integer, got ${contextLength}.`);
    }
    const list = typeof texts === 'string' ? [texts] : texts;
    const result: TokenizeResult = { ids: [], truncated: [], eotIndex: [] };
    for (const text of list) {
      // With truncation, ids past contextLength-1 can never show: stop encoding there.
      const body = this.encodeUpTo(text, truncate ? contextLength - 1 : Infinity);
      let tokens = [this.sotId, ...body, this.eotId];
      const truncated = tokens.length > contextLength;
      if (truncated) {
        if (!truncate) {
          const preview = [...text].length > 40 ? [...text].slice(0, 40).join('') + '…' : text;
          throw new ClipError(
            'input',
            `Prompt "${preview}" is ${tokens.length} tokens long (with start/end tokens), over the limit of ${contextLength}. ` +
              'Shorten it, or tokenize with { truncate: true } to cut it.',
          );
        }
        tokens = tokens.slice(0, contextLength);
        tokens[contextLength - 1] = this.eotId;
      }
      const row = new Int32Array(contextLength);
      row.set(tokens);
      result.ids.push(row);
      result.truncated.push(truncated);
      result.eotIndex.push(argmaxFirst(row));
    }
    return result;
  }

  /** SimpleTokenizer.decode: bytes -> UTF-8 (invalid sequences become U+FFFD), "</w>" -> " ". */
  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const token = this.decoder[ids[i]];
      if (token === undefined)
        throw new ClipError(
          'input',
          `Cannot decode token id ${ids[i]}: not in the vocabulary (size ${this.vocabSize}).`,
        );
      for (const ch of token) {
        const b = this.symbolToByte.get(ch);
        if (b === undefined)
          throw new ClipError(
            'tokenizer',
            `Vocabulary token ${JSON.stringify(token)} contains ${JSON.stringify(ch)}, which is not a byte symbol.`,
          );
        bytes.push(b);
      }
    }
    // ignoreBOM: Python's utf-8 codec keeps a leading U+FEFF.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(bytes)).replaceAll('</w>', ' ');
  }

  /** encode(), stopping once at least `limit` ids are produced (the rest cannot matter then). */
  private encodeUpTo(text: string, limit: number): number[] {
    const ids: number[] = [];
    const cleaned = cleanText(text);
    PRE_TOKENIZER.lastIndex = 0;
    for (let m = PRE_TOKENIZER.exec(cleaned); m !== null && ids.length < limit; m = PRE_TOKENIZER.exec(cleaned)) {
      for (const id of this.tokenIds(m[0])) ids.push(id);
    }
    return ids;
  }

  private tokenIds(token: string): readonly number[] {
    if (token === SOT_TOKEN) return [this.sotId];
    if (token === EOT_TOKEN) return [this.eotId];
    let ids = this.cache.get(token);
    if (ids === undefined) {
      ids = this.bpe(this.byteSymbols(token)).map((piece) => this.encoder.get(piece)!);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(token, ids);
    }
    return ids;
  }

  /** UTF-8 bytes of the token, each mapped to its byte symbol (lone surrogates -> U+FFFD, as TextEncoder). */
  private byteSymbols(token: string): string[] {
    const out: string[] = [];
    for (const ch of token) {
      let cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      const bytes =
        cp < 0x80
          ? [cp]
          : cp < 0x800
            ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
            : cp < 0x10000
              ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
              : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
      for (const b of bytes) out.push(this.byteToSymbol[b]);
    }
    return out;
  }

  /** SimpleTokenizer.bpe: repeatedly merge every occurrence of the lowest-ranked adjacent pair. */
  private bpe(symbols: string[]): string[] {
    let word = symbols;
    word[word.length - 1] += '</w>';
    while (word.length > 1) {
      let best = Infinity;
      let first = '';
      let second = '';
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(word[i] + ' ' + word[i + 1]);
        if (rank !== undefined && rank < best) [best, first, second] = [rank, word[i], word[i + 1]];
      }
      if (best === Infinity) break;
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(first + second);
          i++;
        } else {
          merged.push(word[i]);
        }
      }
      word = merged;
    }
    return word;
  }
}

function argmaxFirst(row: Int32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** A merge line is two whitespace-separated symbols (Python's str.split()). */
function parseMergeLine(line: string, where: string): [string, string] {
  const parts = line.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0] === '') {
    throw new ClipError(
      'tokenizer',
      `${where} is ${JSON.stringify(line.slice(0, 60))}; a merge must be two symbols separated by a space.`,
    );
  }
  return [parts[0], parts[1]];
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ClipError('tokenizer', `${what} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
