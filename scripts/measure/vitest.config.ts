// Measurements that are not tests (they assert nothing and take minutes): run by scripts/*.sh with
// `npx vitest run --config scripts/measure/vitest.config.ts FILTER`, on the tests' setup (Dawn in forks).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import base from '../../vite.config.ts';

export default defineConfig({
  ...base,
  root: resolve(import.meta.dirname, '../..'),
  test: {
    ...base.test,
    include: ['scripts/measure/*.measure.ts'],
    reporters: ['default'],
    outputFile: undefined,
  },
});
