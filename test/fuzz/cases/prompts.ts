/**
 * Prompts: control characters, 100k characters, lone surrogates, the special tokens written out,
 * HTML entities, random code points from every plane; tokenized with and without truncation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClipTokenizer } from '../../../src/model/tokenizer/bpe.ts';
import { TINY } from '../../helpers/fixtures.ts';
import type { CaseGenerator, Rng } from '../harness.ts';

let tokenizer: ClipTokenizer | undefined;
const tok = () =>
  (tokenizer ??= ClipTokenizer.fromVocabMerges(
    readFileSync(resolve(TINY, 'vocab.json'), 'utf8'),
    readFileSync(resolve(TINY, 'merges.txt'), 'utf8'),
  ));

function codePoint(rng: Rng): string {
  const cp = rng.pick([
    () => rng.int(0x20),
    () => 0x7f + rng.int(0x21),
    () => 0x20 + rng.int(0x5f),
    () => 0xd800 + rng.int(0x800),
    () => 0x3000 + rng.int(0x6000),
    () => 0x1f300 + rng.int(0x300),
    () => 0x10000 + rng.int(0xfffff),
    () => 0xfeff,
    () => 0x200b,
  ])();
  return cp >= 0xd800 && cp < 0xe000 ? String.fromCharCode(cp) : String.fromCodePoint(cp); // lone surrogates on purpose
}

function prompt(rng: Rng): { text: string; label: string } {
  switch (rng.int(8)) {
    case 0:
      return {
        text: Array.from({ length: 1 + rng.int(200) }, () => codePoint(rng)).join(''),
        label: 'random code points',
      };
    case 1:
      return { text: 'a photo of a ' + 'x'.repeat(100_000), label: '100k characters' };
    case 2:
      return { text: Array.from({ length: 100_000 }, () => codePoint(rng)).join(''), label: '100k random code points' };
    case 3:
      return {
        text: '<|endoftext|>'.repeat(1 + rng.int(100)) + ' <|startoftext|>dog',
        label: 'special tokens written out',
      };
    case 4:
      return { text: '\u0000\u0001\t\r\n\u001b[31m\u0085\u2028\u2029 cat', label: 'control characters' };
    case 5:
      return { text: '\ud800 dog \udfff\ud83d', label: 'lone surrogates' };
    case 6:
      return { text: '&amp;lt;&#x1F600;&#99999999;&nbsp;&bogus; cat', label: 'HTML entities' };
    default:
      return {
        text: rng.pick(['', ' ', '\n\n', 'a'.repeat(76), ' '.repeat(10_000)]),
        label: 'empty, blank or at the limit',
      };
  }
}

export const promptCases: CaseGenerator = (rng) => {
  const { text, label } = prompt(rng);
  const truncate = rng.chance(0.5);
  return {
    label: `${label}${truncate ? '' : ' (no truncation)'}`,
    run: () => {
      const { ids, eotIndex } = tok().tokenize([text], 77, { truncate });
      if (ids[0][eotIndex[0]] !== tok().eotId) throw new Error(`no end token where eotIndex says (${eotIndex[0]})`);
      return tok().decode(ids[0].slice(1, eotIndex[0]));
    },
  };
};
