/**
 * Corrupted tokenizer files: vocab.json with tokens removed (special tokens and byte symbols too),
 * odd ids, cut or bit-flipped text, an HTML page; merges.txt with lines dropped, broken, added,
 * reordered, cut, or CRLF; a tokenizer.json built from both and mutated. Each is loaded and used.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tokenizerFromSources, type TokenizerSources } from '../../../src/model/tokenizer/load.ts';
import { TINY } from '../../helpers/fixtures.ts';
import type { CaseGenerator, Rng } from '../harness.ts';
import { bitFlips, mutateJson, oddValue, truncate, utf8 } from '../mutate.ts';

const VOCAB_TEXT = readFileSync(resolve(TINY, 'vocab.json'), 'utf8');
const MERGES_TEXT = readFileSync(resolve(TINY, 'merges.txt'), 'utf8');
const VOCAB: Record<string, number> = JSON.parse(VOCAB_TEXT);
const TOKENS = Object.keys(VOCAB);
const MERGES = MERGES_TEXT.split('\n');
const HTML = '<!doctype html>\n<html><head><title>Vite</title></head><body><div id="app"></div></body></html>\n';

function mutateVocab(rng: Rng): { vocab: string; label: string } {
  switch (rng.int(6)) {
    case 0: {
      const v = { ...VOCAB };
      const victims = rng.chance(0.3) ? ['<|endoftext|>', '<|startoftext|>', 'a', 'a</w>', 'Ā'] : TOKENS;
      const gone = rng.pick(victims);
      delete v[gone];
      return { vocab: JSON.stringify(v), label: `vocab without ${JSON.stringify(gone)}` };
    }
    case 1: {
      const v: Record<string, unknown> = { ...VOCAB };
      const t = rng.pick(TOKENS);
      v[t] = rng.chance(0.5) ? oddValue(rng) : VOCAB[rng.pick(TOKENS)];
      return { vocab: JSON.stringify(v), label: `vocab id of ${JSON.stringify(t)} odd or duplicated` };
    }
    case 2:
      return { vocab: new TextDecoder().decode(truncate(utf8(VOCAB_TEXT), rng)), label: 'vocab cut' };
    case 3:
      return {
        vocab: new TextDecoder().decode(bitFlips(utf8(VOCAB_TEXT), rng, 1 + rng.int(6))),
        label: 'vocab bit flips',
      };
    case 4:
      return { vocab: rng.pick([HTML, '', '[]', 'null', '{}', '{"a": 1}']), label: 'vocab replaced' };
    default:
      return { vocab: VOCAB_TEXT, label: 'vocab intact' };
  }
}

function mutateMerges(rng: Rng): { merges: string; label: string } {
  const lines = [...MERGES];
  switch (rng.int(8)) {
    case 0:
      lines.splice(1 + rng.int(lines.length - 1), 1 + rng.int(50));
      return { merges: lines.join('\n'), label: 'merge lines dropped' };
    case 1:
      lines[1 + rng.int(lines.length - 2)] = rng.pick(['x', 'a b c', ' ', 'zz qq', '\u0000 \u0001', 'i n</w>']);
      return { merges: lines.join('\n'), label: 'a merge line broken' };
    case 2: {
      const i = 1 + rng.int(lines.length - 2),
        j = 1 + rng.int(lines.length - 2);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { merges: lines.join('\n'), label: 'merge lines swapped' };
    }
    case 3:
      return { merges: lines.slice(1).join('\n'), label: 'no #version line' };
    case 4:
      return { merges: new TextDecoder().decode(truncate(utf8(MERGES_TEXT), rng)), label: 'merges cut' };
    case 5:
      return { merges: lines.join('\r\n'), label: 'CRLF merges' };
    case 6:
      return { merges: rng.pick([HTML, '', '#version: 0.2\n']), label: 'merges replaced' };
    default:
      return { merges: MERGES_TEXT, label: 'merges intact' };
  }
}

export const tokenizerCases: CaseGenerator = (rng) => {
  let sources: TokenizerSources;
  let label: string;
  if (rng.chance(0.2)) {
    const json = { model: { type: 'BPE', vocab: VOCAB, merges: MERGES.slice(1, 2000) } };
    const m = mutateJson({ ...json, model: { ...json.model, vocab: { '<|endoftext|>': 49407 } } }, rng);
    sources = {
      tokenizerJson: rng.chance(0.5)
        ? JSON.stringify(m.value)
        : new TextDecoder().decode(truncate(utf8(JSON.stringify(json)), rng)),
    };
    label = `tokenizer.json: ${m.path}`;
  } else {
    const v = mutateVocab(rng),
      m = mutateMerges(rng);
    sources = { vocabJson: v.vocab, mergesTxt: m.merges };
    label = `${v.label}; ${m.label}`;
  }
  return {
    label,
    run: async () => {
      const tok = await tokenizerFromSources(sources);
      const { ids } = tok.tokenize(['a photo of a cat', 'Grüße, 東京! <|endoftext|>'], 77, { truncate: true });
      return tok.decode(ids[0].filter((id) => id !== 0));
    },
  };
};
