/**
 * The `clip-webgpu` command line for the CLI tests: the real bin spawned (`cli`), `main()` in-process
 * with captured streams (`run`), and the checks of a one-line error and of a JSON document.
 */
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';

export const ROOT = resolve(__dirname, '../..');
export const BIN = resolve(ROOT, 'bin/clip-webgpu.mjs');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let spawned = 0;

/** How many times this test file has spawned the bin. */
export const spawnedCount = (): number => spawned;

/** Runs the real bin (`node bin/clip-webgpu.mjs ...`) asynchronously (the test's HTTP server keeps serving). */
export function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  spawned++;
  const base = { ...process.env };
  delete base.CLIP_WEBGPU_DEBUG;
  delete base.NODE_OPTIONS;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '',
      stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `main()` in this process, with captured streams. */
export async function run(args: string[]): Promise<Result> {
  let stdout = '',
    stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/**
 * stderr without the diagnostics Dawn's native code prints itself (straight to fd 2, e.g.
 * "Warning: Vulkan ... required.\n - While initializing adapter ...\n    at InitializeImpl (.../PhysicalDeviceVk.cpp:257)"
 * when the auto adapter probes a Vulkan driver it cannot use). They appear whenever the GPU starts on
 * this machine, whatever the CLI does; the CLI's own output is what these tests check.
 */
export function cliLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter(
      (l) =>
        l.trim() !== '' &&
        !/^Warning: /.test(l) &&
        !/^ - While /.test(l) &&
        !/^\s+at \S+ \(.*\.(cpp|cc|h|mm):\d+\)$/.test(l),
    );
}

/** Non-zero exit, exactly one "clip-webgpu: ..." line naming every `names`, nothing on stdout, no stack. */
export function expectOneLineError(r: Result, names: (string | RegExp)[], code?: number): string {
  const lines = cliLines(r.stderr);
  expect(lines, r.stderr).toHaveLength(1);
  const [line] = lines;
  expect(line).toMatch(/^clip-webgpu: \S/);
  expect(lines.join('\n')).not.toMatch(/^\s*at .*\(/m); // a stack frame, e.g. "    at main (file:///...:12:3)"
  expect(line).not.toMatch(/\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/);
  for (const n of names) {
    if (typeof n === 'string') expect(line).toContain(n);
    else expect(line).toMatch(n);
  }
  if (code === undefined) expect(r.code).not.toBe(0);
  else expect(r.code).toBe(code);
  expect(r.code).not.toBeNull(); // exited, not killed
  expect(r.stdout).toBe('');
  return line;
}

/** Exit 0, stdout parsed as JSON. */
export function parseJson(r: Result): any {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}
