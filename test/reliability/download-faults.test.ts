/**
 * Issue 14.6: `downloadHubModel` against a loopback server that injects faults. Every download ends
 * byte-identical to the served file, resumed with Range where a transfer broke, or fails with a
 * ClipError('network'); a file that does not match the hub's SHA-256 is never renamed into place.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipError } from '../../src/errors.ts';
import { downloadHubModel } from '../../src/node/download.ts';
import { TINY } from '../helpers/fixtures.ts';
import { startFaultServer, type Fault, type FaultServer } from './fault-server.ts';

const REPO = 'test-org/tiny-clip';
const FILES = ['config.json', 'model.safetensors'];
const served = new Map(
  FILES.map((f) => [`/${REPO}/resolve/main/${f}`, new Uint8Array(readFileSync(path.join(TINY, f)))]),
);
const MODEL = `/${REPO}/resolve/main/model.safetensors`;
const SIZE = served.get(MODEL)!.length;

let tmp: string;
let server: FaultServer;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'clip-faults-'));
  server = await startFaultServer(served, { stallMs: 1_500 });
});
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
async function download(faults: Fault[], options: { retries?: number; stallTimeoutMs?: number } = {}) {
  const dir = path.join(tmp, `out${n++}`);
  server.faults.set(MODEL, [...faults]);
  server.gets.length = 0;
  const run = downloadHubModel(REPO, dir, {
    endpoint: server.url,
    files: FILES,
    optionalFiles: [],
    stallTimeoutMs: 500,
    ...options,
  });
  return { dir, run, gets: () => server.gets.filter((g) => g.path === MODEL) };
}

const sameAsServed = (dir: string) => readFileSync(path.join(dir, 'model.safetensors')).equals(served.get(MODEL)!);

describe('hub downloads with injected faults', () => {
  it('a truncated body, a dropped connection and a wrong Content-Length are resumed with Range', async () => {
    for (const fault of ['truncate', 'drop', 'long-length'] as Fault[]) {
      const { dir, run, gets } = await download([fault]);
      await run;
      expect(sameAsServed(dir), fault).toBe(true);
      const [first, second] = gets();
      expect(first).toMatchObject({ range: undefined, fault });
      const resumedAt = Number(/^bytes=(\d+)-$/.exec(second.range ?? '')?.[1]);
      expect(resumedAt, fault).toBeGreaterThan(0);
      expect(resumedAt, fault).toBeLessThan(SIZE);
      expect(existsSync(path.join(dir, 'model.safetensors.part'))).toBe(false);
    }
  });

  it('a 500 is retried and the next 200 completes the file', async () => {
    const { dir, run, gets } = await download(['status500', 'status500']);
    await run;
    expect(sameAsServed(dir)).toBe(true);
    expect(gets().map((g) => g.fault)).toEqual(['status500', 'status500', 'none']);
  });

  it('a server that stalls is dropped after the stall timeout and resumed, in bounded time', async () => {
    const t0 = Date.now();
    const { dir, run, gets } = await download(['stall']);
    await run;
    expect(sameAsServed(dir)).toBe(true);
    expect(gets()).toHaveLength(2);
    expect(gets()[1].range).toMatch(/^bytes=\d+-$/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it("a body that does not match the hub's SHA-256 is deleted and downloaded again", async () => {
    const { dir, run, gets } = await download(['corrupt']);
    await run;
    expect(sameAsServed(dir)).toBe(true);
    expect(gets().map((g) => [g.range, g.fault])).toEqual([
      [undefined, 'corrupt'],
      [undefined, 'none'],
    ]);
  });

  it('out of retries, nothing corrupt is stored: a ClipError(network), no file in place', async () => {
    const { dir, run } = await download(['corrupt', 'corrupt'], { retries: 1 });
    const e = await run.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ClipError);
    expect((e as ClipError).code).toBe('network');
    expect((e as ClipError).message).toContain('does not match the SHA-256 the hub gives');
    expect(existsSync(path.join(dir, 'model.safetensors'))).toBe(false);
    expect(existsSync(path.join(dir, 'model.safetensors.part'))).toBe(false);
  });
});
