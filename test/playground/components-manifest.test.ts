/**
 * The elements' documents are generated: custom-elements.json by the analyzer from the elements'
 * JSDoc and decorators, README-components.md from that manifest (`npm run manifest`). The committed
 * files must be what the generators write, byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the components’ manifest and README', () => {
  it('custom-elements.json is what the analyzer writes from the elements (npm run manifest)', () => {
    const cem = createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/cem.js');
    const out = mkdtempSync(join(tmpdir(), 'cem-'));
    try {
      // The analyzer joins --outdir to the working directory: give it a relative path.
      execFileSync(process.execPath, [cem, 'analyze', '--quiet', '--outdir', relative(ROOT, out)], { cwd: ROOT });
      expect(readFileSync(join(out, 'custom-elements.json'), 'utf8')).toBe(read('custom-elements.json'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('README-components.md is what scripts/components-readme.mjs writes from the manifest', () => {
    const printed = execFileSync(process.execPath, ['scripts/components-readme.mjs', '--print'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(printed).toBe(read('src/playground/README-components.md'));
  });

  it('package.json points tools at the manifest', () => {
    expect(JSON.parse(read('package.json')).customElements).toBe('custom-elements.json');
  });
});
