/**
 * CLIP tokenizer vs OpenAI's simple_tokenizer + clip.tokenize (ftfy stubbed as the identity).
 * Goldens: ../shared/fixtures/tokenizer/golden.json and tiny-clip/golden_f32.json. The edge cases
 * below were produced with a verbatim copy of simple_tokenizer.py (regex 2026.5.9, Python 3.11).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ClipError } from '../src/errors.ts';
import {
  ClipTokenizer,
  htmlUnescape,
  tokenizerFromSources,
  gunzipToText,
  fetchTokenizer,
} from '../src/model/tokenizer/index.ts';
import { loadTokenizerFromDir, loadTokenizerFromFile } from '../src/node/tokenizer-files.ts';
import { measured } from './helpers/measurements.ts';
import { tempDir } from './helpers/temp.ts';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared');
const tinyDir = path.join(shared, 'fixtures/tiny-clip');
const gzPath = path.join(shared, 'clip-bpe/bpe_simple_vocab_16e6.txt.gz');
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

interface GoldenEntry {
  text: string;
  ids_without_specials: number[];
  context_ids: number[];
  eot_index: number;
  truncated: boolean;
  decoded: string;
  ftfy_changes_ids: boolean;
}
const golden: { entries: GoldenEntry[] } = readJson(path.join(shared, 'fixtures/tokenizer/golden.json'));

const vocabText = readFileSync(path.join(tinyDir, 'vocab.json'), 'utf8');
const mergesText = readFileSync(path.join(tinyDir, 'merges.txt'), 'utf8');
const fromVocabMerges = ClipTokenizer.fromVocabMerges(vocabText, mergesText);
const fromGz = ClipTokenizer.fromOpenAIBpe(gunzipSync(readFileSync(gzPath)).toString('utf8'));
// A tokenizer.json as HF writes it (newer files use [a, b] pairs, older ones "a b").
const tokenizerJson = (pairs: boolean) => ({
  model: {
    type: 'BPE',
    vocab: JSON.parse(vocabText),
    merges: mergesText
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => (pairs ? l.split(' ') : l)),
  },
});
const fromTokJson = ClipTokenizer.fromTokenizerJson(tokenizerJson(true));
const tok = fromGz;

function expectMatchesGolden(t: ClipTokenizer, e: GoldenEntry) {
  expect(t.encode(e.text), e.text).toEqual(e.ids_without_specials);
  const r = t.tokenize([e.text]);
  expect(Array.from(r.ids[0]), e.text).toEqual(e.context_ids);
  expect(r.eotIndex[0], e.text).toBe(e.eot_index);
  expect(r.truncated[0], e.text).toBe(e.truncated);
}

// Edge cases from Python (ids without specials, and SimpleTokenizer.decode of them).
const EDGE_CASES: { why: string; text: string; ids: number[]; decoded: string }[] = [
  {
    why: 'literal <|endoftext|> mid-sequence: pooling stops there',
    text: 'a photo of a <|endoftext|> dog',
    ids: [320, 1125, 539, 320, 49407, 1929],
    decoded: 'a photo of a <|endoftext|>dog ',
  },
  {
    why: 'literal <|startoftext|> and upper-case specials (lower-cased first)',
    text: '<|startoftext|>hello <|ENDOFTEXT|>',
    ids: [49406, 3306, 49407],
    decoded: '<|startoftext|>hello <|endoftext|>',
  },
  {
    why: "regex IGNORECASE: 's' also matches U+017F long s",
    text: "it'\u017f <|\u017ftartoftext|>",
    ids: [585, 6, 129, 379, 27, 91, 129, 123, 2002, 6659, 18169, 91, 285],
    decoded: "it '\u017f <|\u017ftartoftext|> ",
  },
  {
    why: 'double html.unescape',
    text: 'fish&amp;amp;chips &amp;lt;b&amp;gt;',
    ids: [2759, 261, 8855, 283, 321, 285],
    decoded: 'fish & chips < b > ',
  },
  {
    why: "longest-prefix entity without ';'",
    text: '&notit; &notin; &not &ampamp; &AMP &lt3',
    ids: [126, 361, 585, 282, 17788, 487, 126, 361, 261, 261, 283, 274],
    decoded: '\u00ac it ; \u2209 \u00ac & & < 3 ',
  },
  {
    why: 'numeric refs',
    text: '&#x27;q&#X27; &#39;s &#128512; &#65',
    ids: [262, 336, 262, 568, 7334, 320],
    decoded: "' q ' 's \ud83d\ude00 a ",
  },
  {
    why: 'invalid numeric refs',
    text: 'a&#0;b&#13;c&#128;d&#x81;e&#xD800;f&#1114112;g&#11;h&#x7f;i&#xFFFE;j&#0000000000065;k',
    ids: [320, 39802, 321, 322, 6309, 323, 126, 479, 324, 39802, 325, 39802, 583, 7337, 1196],
    decoded: 'a \ufffd b c \u20ac d \u0081 e \ufffd f \ufffd ghijak ',
  },
  {
    why: 'entity name limit 32 code points',
    text: '&CounterClockwiseContourIntegral; &CounterClockwiseContourIntegralX; &#; &#x;',
    ids: [17788, 367, 261, 10134, 19878, 820, 1846, 2710, 5151, 526, 343, 282, 5, 2, 282, 5, 258, 343, 282],
    decoded: '\u2233 & counterclockwisecontourintegralx ; &#; &# x ; ',
  },
  {
    why: 'str.isspace vs regex \\s: U+001C..1F are stripped at the ends only',
    text: '\u001c\u001dfile\u001esep\u001f \u001c',
    ids: [4512, 474, 10434],
    decoded: 'file \u001e sep ',
  },
  {
    why: 'regex \\s includes U+0085, NBSP, U+3000 but not U+FEFF / U+200B',
    text: 'zero\u200bwidth\ufeffbom\u0085nel\u00a0nbsp\u3000ideo&nbsp;x',
    ids: [5848, 9844, 23571, 171, 119, 379, 19469, 2693, 6459, 4393, 1909, 334, 343],
    decoded: 'zero \u200b width \ufeff bom nel nbsp ideo x ',
  },
  {
    why: 'str.lower: final sigma, dotted I',
    text: '\u1f48\u0394\u03a5\u03a3\u03a3\u0395\u038e\u03a3 \u03a3\u0391\u03a3 \u0130stanbul',
    ids: [
      157, 121, 222, 138, 112, 139, 227, 139, 225, 139, 225, 138, 113, 139, 235, 139, 480, 139, 225, 138, 109, 139, 480,
      328, 16384, 11231,
    ],
    decoded: '\u1f40\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2 \u03c3\u03b1\u03c2 i \u0307 stanbul ',
  },
  {
    why: 'U+0345 matches no pre-tokenizer class in the regex module: dropped',
    text: 'a\u0345b \u0345 \u1fb3',
    ids: [320, 321, 157, 122, 367],
    decoded: 'a b \u1fb3 ',
  },
  {
    why: 'numbers: one token per digit, any script',
    text: '\u0663\u0664 \u00bd \u00b2 \u216b 10',
    ids: [149, 352, 149, 353, 33613, 41175, 158, 227, 375, 272, 271],
    decoded: '\u0663 \u0664 \u00bd \u00b2 \u217b 1 0 ',
  },
  {
    why: 'fullwidth, NFD (no normalisation)',
    text: '\uff21\uff22\uff23 caf\u00e9 cafe\u0301',
    ids: [171, 121, 223, 171, 121, 224, 171, 121, 481, 15304, 4979, 136, 479],
    decoded: '\uff41\uff42\uff43 caf\u00e9 cafe \u0301 ',
  },
  {
    why: 'emoji ZWJ sequence',
    text: '\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 family',
    ids: [26304, 26304, 964, 356, 1315],
    decoded: '\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 family ',
  },
  { why: 'whitespace only', text: '   \t\n  ', ids: [], decoded: '' },
  {
    why: 'controls',
    text: 'tab\u0000null\u007fdel',
    ids: [14724, 444, 47376, 477, 2003],
    decoded: 'tab \u0000 null \u007f del ',
  },
  {
    why: 'upper-case contractions',
    text: "'S 'LL 'RE 'VE 'M 'D 'T x's",
    ids: [568, 1342, 982, 1200, 880, 1896, 713, 343, 568],
    decoded: "'s 'll 're 've 'm 'd 't x 's ",
  },
];

describe('tokenizer goldens', () => {
  it('has all 32 golden entries', () => expect(golden.entries.length).toBe(32));

  it.each(golden.entries.map((e, i) => [i, e.text.slice(0, 30), e] as const))('golden[%i] %s', (_i, _t, e) => {
    expectMatchesGolden(tok, e);
    expect(tok.decode(e.ids_without_specials)).toBe(e.decoded);
  });

  it('golden_f32.json input_ids (the 8 model prompts)', () => {
    const g = readJson(path.join(tinyDir, 'golden_f32.json'));
    const r = tok.tokenize(g.prompts);
    expect(r.ids.map((row) => Array.from(row))).toEqual(g.input_ids);
    expect(r.eotIndex).toEqual(g.text_eot_positions);
  });

  it.each(EDGE_CASES.map((c) => [c.why, c] as const))('edge case: %s', (_why, c) => {
    expect(tok.encode(c.text)).toEqual(c.ids);
    expect(tok.decode(c.ids)).toBe(c.decoded);
  });

  it('literal <|endoftext|> is pooled at its own position', () => {
    const r = tok.tokenize(['a photo of a <|endoftext|> dog']);
    expect(Array.from(r.ids[0].slice(0, 8))).toEqual([49406, 320, 1125, 539, 320, 49407, 1929, 49407]);
    expect(r.eotIndex[0]).toBe(5);
  });

  it('truncation: cut to 77 with EOT last; exactly 77 is not truncated', () => {
    expect(tok.encode('a'.repeat(1000))).toEqual([...Array(124).fill(23126), 6727, 19336]);
    const r = tok.tokenize(['a'.repeat(1000), 'dog '.repeat(80), 'one '.repeat(74) + 'two']);
    expect(Array.from(r.ids[0])).toEqual([49406, ...Array(75).fill(23126), 49407]);
    expect(Array.from(r.ids[1])).toEqual([49406, ...Array(75).fill(1929), 49407]);
    expect(Array.from(r.ids[2])).toEqual([49406, ...Array(74).fill(637), 1237, 49407]);
    expect(r.truncated).toEqual([true, true, false]);
    expect(r.eotIndex).toEqual([76, 76, 76]);
  });

  it('other context lengths, and a single string', () => {
    const r = tok.tokenize('a photo of a dog.', 5);
    expect(Array.from(r.ids[0])).toEqual([49406, 320, 1125, 539, 49407]);
    expect(Array.from(tok.tokenize('a', 1).ids[0])).toEqual([49407]);
    expect(() => tok.tokenize('a', 0)).toThrow(ClipError);
  });

  it('decode rejects unknown ids; broken UTF-8 becomes U+FFFD; a BOM is kept', () => {
    expect(() => tok.decode([49408])).toThrow(/49408/);
    expect(tok.decode([158, 320])).toBe('\ufffda ');
    expect(tok.decode([171, 119, 123, 320])).toBe('\ufeffa ');
  });
});

describe('html.unescape (Python semantics)', () => {
  it.each([
    ['&amp;amp;', '&amp;'], // one pass; the tokenizer applies two
    ['&notit;', '\u00acit;'], // longest prefix: legacy "not" without ';'
    ['&notin;', '\u2209'],
    ['&#x27;', "'"],
    ['&#0;', '\ufffd'],
    ['&#x80;', '\u20ac'], // Windows-1252 remap
    ['&#1;x', 'x'], // invalid code point: dropped
    ['&#xD800;', '\ufffd'],
    ['&#99999999999999999999;', '\ufffd'],
    ['&bogus; & &;', '&bogus; & &;'],
    ['&AMP', '&'],
    ['&ampx', '&x'],
    ['&CounterClockwiseContourIntegral;', '\u2233'],
  ])('%s', (input, out) => expect(htmlUnescape(input)).toBe(out));

  it('the tokenizer unescapes twice', () => {
    expect(tok.encode('&amp;amp;')).toEqual(tok.encode('&'));
    expect(tok.encode('&amp;#x27;s')).toEqual(tok.encode("'s"));
  });
});

describe('loaders', () => {
  const probe = [...golden.entries.map((e) => e.text), ...EDGE_CASES.map((c) => c.text)];

  it('vocab.json+merges.txt, tokenizer.json (both merge styles) and the OpenAI .gz agree', () => {
    const ref = fromGz.tokenize(probe).ids;
    expect(fromVocabMerges.vocabSize).toBe(49408);
    expect(fromGz.vocabSize).toBe(49408);
    for (const t of [
      fromVocabMerges,
      fromTokJson,
      ClipTokenizer.fromTokenizerJson(JSON.stringify(tokenizerJson(false))),
    ]) {
      expect(t.tokenize(probe).ids).toEqual(ref);
    }
  });

  it('Node loaders: folder and file', () => {
    const ref = fromGz.tokenize(probe).ids;
    const dir = tempDir('clip-tok-');
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(true)));
    copyFileSync(gzPath, path.join(dir, 'bpe_simple_vocab_16e6.txt.gz'));
    for (const t of [
      loadTokenizerFromDir(tinyDir),
      loadTokenizerFromDir(dir),
      loadTokenizerFromFile(gzPath),
      loadTokenizerFromFile(path.join(dir, 'tokenizer.json')),
      loadTokenizerFromFile(path.join(tinyDir, 'merges.txt')),
    ]) {
      expect(t.tokenize(probe).ids).toEqual(ref);
    }
  });

  it('browser loader: DecompressionStream for the .gz', async () => {
    const gz = new Uint8Array(readFileSync(gzPath));
    const t = await tokenizerFromSources({ bpeGz: gz });
    expect(t.tokenize(probe).ids).toEqual(fromGz.tokenize(probe).ids);
    const t2 = await tokenizerFromSources({ vocabJson: vocabText, mergesTxt: mergesText });
    expect(t2.encode('hello world')).toEqual(fromGz.encode('hello world'));
    await expect(gunzipToText(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not gzip data/);
    await expect(gunzipToText(gz.slice(0, 1000))).rejects.toMatchObject({ code: 'tokenizer' });
    await expect(tokenizerFromSources({})).rejects.toMatchObject({ code: 'tokenizer' });
  });

  it('fetchTokenizer falls back from vocab.json + merges.txt to tokenizer.json', async () => {
    const served: Record<string, string> = { 'https://x.test/m/tokenizer.json': JSON.stringify(tokenizerJson(false)) };
    const fakeFetch = (async (url: string) =>
      new Response(served[url] ?? 'nope', { status: served[url] ? 200 : 404 })) as typeof fetch;
    const t = await fetchTokenizer('https://x.test/m', fakeFetch);
    expect(t.encode('hello world')).toEqual(fromGz.encode('hello world'));
    await expect(fetchTokenizer('https://x.test/empty/', fakeFetch)).rejects.toThrow(
      'No tokenizer at https://x.test/empty/: looked for vocab.json + merges.txt, tokenizer.json and bpe_simple_vocab_16e6.txt.gz.',
    );
  });
});

describe('errors', () => {
  const catchError = (f: () => unknown): ClipError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ClipError);
      return e as ClipError;
    }
    throw new Error('expected a ClipError');
  };

  it('over-long prompt without truncation names the prompt and the counts', () => {
    const long = 'the quick brown fox jumps over the lazy dog, '.repeat(10);
    const e = catchError(() => tok.tokenize(['short', long], 77, { truncate: false }));
    expect(e.code).toBe('input');
    expect(e.message).toContain('"the quick brown fox jumps over the lazy …"');
    expect(e.message).toContain('is 102 tokens long');
    expect(e.message).toContain('limit of 77');
    expect(Array.from(tok.tokenize(['one '.repeat(74) + 'two'], 77, { truncate: false }).ids[0]).at(-1)).toBe(49407);
  });

  it('missing tokenizer files', () => {
    const empty = tempDir('clip-tok-');
    const e = catchError(() => loadTokenizerFromDir(empty));
    expect(e.code).toBe('tokenizer');
    expect(e.message).toBe(
      `No tokenizer files in ${empty}: looked for vocab.json + merges.txt, tokenizer.json, or bpe_simple_vocab_16e6.txt.gz.`,
    );
    writeFileSync(path.join(empty, 'vocab.json'), vocabText);
    expect(catchError(() => loadTokenizerFromDir(empty)).message).toContain(
      'vocab.json is there but merges.txt is missing',
    );
    expect(catchError(() => loadTokenizerFromDir(path.join(empty, 'nope'))).code).toBe('not-found');
    expect(catchError(() => loadTokenizerFromFile(path.join(empty, 'nope.gz'))).code).toBe('not-found');
  });

  it('malformed tokenizer files', () => {
    const dir = tempDir('clip-tok-');
    const file = (name: string, body: string | Uint8Array) => {
      const p = path.join(dir, name);
      writeFileSync(p, body);
      return p;
    };

    let e = catchError(() => loadTokenizerFromFile(file('tokenizer.json', '{"model": {"vocab": {')));
    expect(e.code).toBe('tokenizer');
    expect(e.message).toMatch(/tokenizer\.json: tokenizer\.json is not valid JSON/);
    e = catchError(() =>
      loadTokenizerFromFile(file('tokenizer.json', '{"model": {"type": "WordPiece", "vocab": {}, "merges": []}}')),
    );
    expect(e.message).toContain('WordPiece');
    e = catchError(() => loadTokenizerFromFile(file('bpe_simple_vocab_16e6.txt.gz', 'not gzip')));
    expect(e.message).toContain('is not a valid gzip file');
    expect(e.message).toContain(dir);
    e = catchError(() => ClipTokenizer.fromOpenAIBpe('#version\ni n\nt h\n'));
    expect(e.message).toContain('has 3 merges after its header; CLIP needs 48894');

    // vocab and merges that do not belong together
    const vocab = JSON.parse(vocabText);
    delete vocab.in;
    e = catchError(() => ClipTokenizer.fromVocabMerges(vocab, mergesText));
    expect(e.message).toBe(
      'Merge #1 "i n" produces "in", which is not in the vocabulary: vocab and merges do not belong together.',
    );
    delete vocab['<|endoftext|>'];
    expect(catchError(() => ClipTokenizer.fromVocabMerges(vocab, mergesText)).message).toContain(
      'no <|endoftext|> token',
    );
    e = catchError(() => ClipTokenizer.fromVocabMerges(JSON.parse(vocabText), '#version: 0.2\ni n\nt h x\n'));
    expect(e.message).toContain('merges.txt line 3');

    const sub = tempDir('clip-tok-');
    writeFileSync(path.join(sub, 'vocab.json'), '[1, 2]');
    writeFileSync(path.join(sub, 'merges.txt'), mergesText);
    e = catchError(() => loadTokenizerFromDir(sub));
    expect(e.message).toBe(
      `${path.join(sub, 'vocab.json')} + merges.txt: vocab.json must be a JSON object mapping tokens to ids.`,
    );
  });
});

describe('speed', () => {
  it('80,000 prompts (1000 classes x 80 templates) in seconds', () => {
    const classes = Array.from(
      { length: 1000 },
      (_, i) => `class ${i} ${['golden retriever', 'tabby cat', 'tench', 'school bus'][i % 4]}`,
    );
    const templates = Array.from(
      { length: 80 },
      (_, i) => `a photo of the {} number ${i}, in the style of variant ${i}.`,
    );
    const prompts = classes.flatMap((c) => templates.map((t) => t.replace('{}', c)));
    const t0 = performance.now();
    const r = new ClipTokenizer(...tokCtorArgs()).tokenize(prompts); // fresh tokenizer: cold cache
    const ms = performance.now() - t0;
    measured(`tokenized ${prompts.length} prompts in ${ms.toFixed(0)} ms`);
    expect(r.ids.length).toBe(80_000);
    expect(ms).toBeLessThan(30_000);
  });
});

function tokCtorArgs(): ConstructorParameters<typeof ClipTokenizer> {
  const merges = mergesText
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(' ') as [string, string]);
  return [JSON.parse(vocabText), merges];
}
