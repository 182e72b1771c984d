/** Builds dist/clip-webgpu.js with Vite's JS API when it is missing or older than its sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './server.ts';

export const BUNDLE = resolve(ROOT, 'dist/clip-webgpu.js');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export async function ensureBundle(): Promise<void> {
  // bench/ too: the playground's <clip-benchmark> bundles its harness.
  const sources = Math.max(
    newest(resolve(ROOT, 'src')),
    newest(resolve(ROOT, 'bench')),
    newest(resolve(ROOT, 'vite.config.ts')),
    newest(resolve(ROOT, 'package.json')),
  );
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ root: ROOT, logLevel: 'warn' });
}
