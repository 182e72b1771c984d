/** Byte- and JSON-level mutations shared by the fuzz classes. */
import type { Rng } from './harness.ts';

export function bitFlips(bytes: Uint8Array, rng: Rng, count: number, from = 0, to = bytes.length): Uint8Array {
  const out = bytes.slice();
  for (let k = 0; k < count && to > from; k++) out[from + rng.int(to - from)] ^= 1 << rng.int(8);
  return out;
}

export function truncate(bytes: Uint8Array, rng: Rng): Uint8Array {
  return bytes.slice(0, rng.int(bytes.length));
}

/** Overwrites a few bytes with random values (0x00, 0xff and invalid UTF-8 lead bytes are favoured). */
export function scribble(bytes: Uint8Array, rng: Rng, from = 0, to = bytes.length): Uint8Array {
  const out = bytes.slice();
  const n = 1 + rng.int(4);
  for (let k = 0; k < n && to > from; k++)
    out[from + rng.int(to - from)] = rng.pick([0x00, 0xff, 0xc3, 0xe2, 0x80, 0xfe, rng.int(256)]);
  return out;
}

/** Values a fuzzed JSON field may take. */
export function oddValue(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => -0.5,
    () => 2 ** 31,
    () => 2 ** 53 + 2,
    () => 1e308,
    () => -1e308,
    () => 1e-320,
    () => 1e9,
    () => 65536,
    () => 3,
    () => '',
    () => '12',
    () => 'quick_gelu',
    () => 'gelu',
    () => 'relu',
    () => '\u0000\uffff',
    () => [],
    () => [1, 2],
    () => [[]],
    () => ({}),
    () => ({ a: 1 }),
    () => rng.int(5000),
  ])();
}

/** A deep copy of `json` with one field (at any depth) set to an odd value, deleted, or renamed. */
export function mutateJson(json: unknown, rng: Rng): { value: unknown; path: string } {
  const root = structuredClone(json) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length) paths.push(path);
    if (v && typeof v === 'object' && path.length < 6) {
      for (const [k, child] of Object.entries(v as object)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
    }
  };
  walk(root, []);
  if (paths.length === 0) return { value: oddValue(rng), path: '$' };
  const path = rng.pick(paths);
  let parent: any = root;
  for (const p of path.slice(0, -1)) parent = parent[p];
  const key = path.at(-1)!;
  const op = rng.int(3);
  if (op === 0 && !Array.isArray(parent)) delete parent[key];
  else if (op === 1 && !Array.isArray(parent)) {
    parent[`${String(key)}_x`] = parent[key];
    delete parent[key];
  } else parent[key] = oddValue(rng);
  return { value: root, path: `${path.join('.')} ${['deleted', 'renamed', 'set'][op]}` };
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
