/**
 * The import rules of ARCHITECTURE.md (.dependency-cruiser.cjs) hold for src/, bench/ and test/.
 * Violations that another change is removing are listed in .dependency-cruiser-known-violations.json
 * (dependency-cruiser's baseline): new ones fail here, and so does a listed one that is gone, so
 * the list only ever shrinks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const KNOWN = resolve(ROOT, '.dependency-cruiser-known-violations.json');

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[] | string[];
}

/** One line per violation: rule, from -> to (a cycle names its whole loop). */
function describeViolation(v: Violation): string {
  const cycle = v.cycle?.map((c) => (typeof c === 'string' ? c : c.name));
  return `${v.rule.name}: ${v.from} -> ${cycle ? cycle.join(' -> ') : v.to}`;
}

let found: Violation[];

beforeAll(() => {
  const bin = resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  // Exit status 1 only means "violations found": the JSON report is on stdout either way.
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [bin, 'src', 'bench', 'test', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? '';
    if (!out) throw e;
  }
  // Errors only: warnings (cycles through type-only imports) are printed by `npm run depcruise`.
  found = (JSON.parse(out).summary.violations as Violation[]).filter((v) => v.rule.severity === 'error');
}, 120_000);

describe('dependency rules (ARCHITECTURE.md)', () => {
  const known = existsSync(KNOWN)
    ? (JSON.parse(readFileSync(KNOWN, 'utf8')) as Violation[]).map(describeViolation)
    : [];

  it('every import follows the rules, apart from the known violations being removed', () => {
    const fresh = found.map(describeViolation).filter((v) => !known.includes(v));
    expect(fresh, 'imports that break ARCHITECTURE.md (see .dependency-cruiser.cjs)').toEqual([]);
  });

  it('every known violation is still there (delete the fixed ones from .dependency-cruiser-known-violations.json)', () => {
    const now = new Set(found.map(describeViolation));
    expect(known.filter((v) => !now.has(v))).toEqual([]);
  });
});
