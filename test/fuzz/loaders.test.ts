/**
 * Issue 14.1: seeded, bounded fuzzing of everything that reads outside input. Every case ends in a
 * result or in one ClipError: no crash, no hang, no unhandled rejection. `npm run fuzz -- --n 10000`
 * runs the same classes with more cases and prints the counts this test writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { casesPerClass, FUZZ_SEED, LONG_MODE, runFuzzClass, type CaseGenerator, type ClassCounts } from './harness.ts';
import { configCases } from './cases/config.ts';
import { imageCases } from './cases/images.ts';
import { promptCases } from './cases/prompts.ts';
import { safetensorsCases } from './cases/safetensors.ts';
import { tokenizerCases } from './cases/tokenizer.ts';
import { trainDataCases } from './cases/train-data.ts';

/** Class, generator, cases in `npm test` (sized for about two minutes here), per-case limit. */
const CLASSES: [string, CaseGenerator, number, number][] = [
  ['safetensors', safetensorsCases, 300, 10_000],
  ['config.json', configCases, 300, 5_000],
  ['vocab.json / merges.txt', tokenizerCases, 40, 20_000],
  ['images', imageCases, 300, 20_000],
  ['prompts', promptCases, 150, 20_000],
  ['training data', trainDataCases, 150, 20_000],
];

const CASES = casesPerClass(CLASSES.map((c) => c[2]));
const counts: Record<string, ClassCounts> = {};

afterAll(() => {
  const out = process.env.FUZZ_REPORT;
  if (!out) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ seed: FUZZ_SEED, classes: counts }, null, 1));
});

describe('fuzzed inputs end in a result or one ClipError', () => {
  for (const [i, [name, generate, , timeoutMs]] of CLASSES.entries()) {
    it(name, { timeout: LONG_MODE ? 3_600_000 : 300_000 }, async () => {
      const c = await runFuzzClass(generate, { cases: CASES[i], seed: FUZZ_SEED, timeoutMs });
      counts[name] = c;
      expect(c.crashes).toEqual([]);
      expect(c.hangs).toEqual([]);
      expect(c.unhandledRejections).toEqual([]);
      expect(c.results + Object.values(c.errors).reduce((a, b) => a + b, 0)).toBe(c.cases);
    });
  }
});
