/** The code passes the project's one linter and formatter (Biome, biome.json): `npm run format` fixes most findings. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

it('biome ci: formatted and lint-clean', () => {
  const bin = resolve(ROOT, 'node_modules/@biomejs/biome/bin/biome');
  let out = '';
  let status = 0;
  try {
    execFileSync(process.execPath, [bin, 'ci', '--colors=off', '.'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    status = err.status ?? 1;
    out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
  expect(status, out.slice(0, 4000)).toBe(0);
}, 120_000);
