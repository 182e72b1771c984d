/**
 * Numbers a test measures but does not assert beyond its tolerance (max |diff| against a golden,
 * relative gradcheck errors, times): appended to test-results/measurements.txt instead of the
 * console, so a run stays quiet and a closing note can quote them from one file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { expect } from 'vitest';

const FILE = resolve(__dirname, '../../test-results/measurements.txt');

export function measured(...parts: unknown[]): void {
  const line = parts.join(' ');
  const test = expect.getState().currentTestName ?? '';
  const file = basename(expect.getState().testPath ?? '');
  mkdirSync(resolve(FILE, '..'), { recursive: true });
  appendFileSync(FILE, `${file} > ${test}: ${line}\n`);
}
