#!/usr/bin/env node
// `npm run fuzz -- --n 10000 [--seed 7]`: the loader fuzz suite (test/fuzz) with n cases in all,
// then the counts per class: cases, results, ClipErrors by code, crashes, hangs, unhandled rejections.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
const value = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const n = Number(value('--n', '10000'));
const seed = value('--seed', '20241202');
if (!Number.isInteger(n) || n < 1) {
  console.error(`--n must be a positive whole number of cases, got ${value('--n')}`);
  process.exit(2);
}
const report = 'test-results/fuzz-counts.json';
rmSync(report, { force: true });
console.error(`Fuzzing the loaders with ${n} cases (seed ${seed})…`);
const run = spawnSync('npx', ['vitest', 'run', 'test/fuzz/loaders.test.ts'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, FUZZ_CASES: String(n), FUZZ_SEED: seed, FUZZ_REPORT: report },
});
if (!existsSync(report)) {
  console.error('No counts were written: the run died before the end (see above).');
  process.exit(1);
}
const { classes } = JSON.parse(readFileSync(report, 'utf8'));
const rows = Object.entries(classes).map(([name, c]) => ({
  class: name,
  cases: c.cases,
  results: c.results,
  errors:
    Object.entries(c.errors)
      .sort()
      .map(([code, k]) => `${code} ${k}`)
      .join(', ') || '-',
  crashes: c.crashes.length,
  hangs: c.hangs.length,
  unhandled: c.unhandledRejections.length,
  'slowest ms': Math.round(c.slowestMs),
}));
const total = (k) => rows.reduce((a, r) => a + r[k], 0);
rows.push({
  class: 'all',
  cases: total('cases'),
  results: total('results'),
  errors: '',
  crashes: total('crashes'),
  hangs: total('hangs'),
  unhandled: total('unhandled'),
  'slowest ms': Math.max(...rows.map((r) => r['slowest ms'])),
});
console.table(rows);
for (const [name, c] of Object.entries(classes)) {
  for (const x of c.crashes.slice(0, 5)) console.log(`crash in ${name}: ${x.label}: ${x.error}`);
  for (const h of c.hangs.slice(0, 5)) console.log(`hang in ${name}: ${h}`);
}
process.exit(run.status ?? 1);
