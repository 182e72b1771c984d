import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClipError } from '../src/errors.ts';
import { CLIP_PRESETS, checkConfigAgainstTensors, parseClipConfig } from '../src/model/config.ts';
import { CLIP_REQUIRED_FILES, clipFileUrls, hubFileUrl, validateRepoId } from '../src/model/hub.ts';
import { SafetensorsFile } from '../src/model/safetensors/reader.ts';
import { FileSource } from '../src/node/file-source.ts';
import { defaultModelDir, downloadHubModel } from '../src/node/download.ts';
import type { HubDownloadProgress } from '../src/node/download.ts';
import { createProgressRenderer, formatProgress } from '../src/node/progress.ts';
import { writeRandomClipModel } from '../src/node/random-model.ts';
import { closedPort, startWeightsServer } from './helpers/weights-server.ts';
import type { WeightsServer, WeightsServerOptions } from './helpers/weights-server.ts';

const TINY = path.resolve(__dirname, '../../shared/fixtures/tiny-clip');
const REPO = 'test-org/tiny-clip';
const hubFiles = new Map(
  CLIP_REQUIRED_FILES.map((f) => [`/${REPO}/resolve/main/${f}`, new Uint8Array(readFileSync(path.join(TINY, f)))]),
);
const MODEL_PATH = `/${REPO}/resolve/main/model.safetensors`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'clip-dl-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
const freshDir = () => path.join(tmp, `out${n++}`);

async function withServer<T>(opts: Partial<WeightsServerOptions>, fn: (s: WeightsServer) => Promise<T>): Promise<T> {
  const server = await startWeightsServer({
    files: hubFiles,
    notFoundHeaders: { 'x-error-code': 'EntryNotFound' },
    ...opts,
  });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

function expectSameFiles(dir: string) {
  for (const f of CLIP_REQUIRED_FILES) {
    expect(readFileSync(path.join(dir, f)).equals(readFileSync(path.join(TINY, f))), f).toBe(true);
    expect(existsSync(path.join(dir, `${f}.part`))).toBe(false);
  }
}

async function rejection(p: Promise<unknown>): Promise<ClipError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClipError);
  return e as ClipError;
}

describe('hub URLs', () => {
  it('builds resolve URLs and validates repo ids', () => {
    expect(hubFileUrl('openai/clip-vit-base-patch32', 'config.json')).toBe(
      'https://huggingface.co/openai/clip-vit-base-patch32/resolve/main/config.json',
    );
    expect(hubFileUrl('a/b', 'x y.json', { revision: 'refs/pr/1', endpoint: 'http://127.0.0.1:9/' })).toBe(
      'http://127.0.0.1:9/a/b/resolve/refs%2Fpr%2F1/x%20y.json',
    );
    expect(Object.keys(clipFileUrls('a/b'))).toEqual([
      'config.json',
      'model.safetensors',
      'vocab.json',
      'merges.txt',
      'tokenizer.json',
    ]);
    expect(validateRepoId('gpt2')).toBe('gpt2');
    for (const bad of ['', 'a/b/c', 'https://huggingface.co/openai/clip', 'a b/c', 'a--b/c', '-a/b', 'x'.repeat(97)]) {
      const e = (() => {
        try {
          validateRepoId(bad);
        } catch (err) {
          return err as ClipError;
        }
      })();
      expect(e, bad).toBeInstanceOf(ClipError);
      expect(e!.code).toBe('input');
      expect(e!.message).toContain('Invalid Hugging Face repo id');
    }
    expect(defaultModelDir('openai/clip-vit-base-patch32')).toBe(path.join('weights', 'clip-vit-base-patch32'));
  });
});

describe('downloadHubModel', () => {
  it('downloads every file byte-identically, then skips them when complete', async () => {
    await withServer({}, async (server) => {
      const dir = freshDir();
      const events: HubDownloadProgress[] = [];
      const result = await downloadHubModel(REPO, dir, { endpoint: server.url, onProgress: (p) => events.push(p) });
      expectSameFiles(dir);
      expect(result.files.map((f) => [f.file, f.status])).toEqual([
        ['config.json', 'downloaded'],
        ['model.safetensors', 'downloaded'],
        ['vocab.json', 'downloaded'],
        ['merges.txt', 'downloaded'],
        ['tokenizer.json', 'missing-optional'],
      ]);
      const modelSize = statSync(path.join(TINY, 'model.safetensors')).size;
      const last = events.filter((e) => e.file === 'model.safetensors').at(-1)!;
      expect(last).toMatchObject({ bytes: modelSize, total: modelSize, done: true, skipped: false });
      expect(
        events
          .filter((e) => e.file === 'model.safetensors' && !e.done)
          .every((e) => e.total === modelSize && e.speed >= 0),
      ).toBe(true);

      server.requests.length = 0;
      const again = await downloadHubModel(REPO, dir, { endpoint: server.url });
      expect(again.files.filter((f) => f.status === 'skipped')).toHaveLength(4);
      expect(server.requests.filter((r) => r.method === 'GET')).toEqual([]); // HEADs only
    });
  });

  it('resumes a dropped connection with a Range request', async () => {
    await withServer({ dropOnce: new Set([MODEL_PATH]) }, async (server) => {
      const dir = freshDir();
      await downloadHubModel(REPO, dir, { endpoint: server.url });
      expectSameFiles(dir);
      const resumed = server.requests.find((r) => r.path === MODEL_PATH && r.range);
      expect(resumed).toBeDefined();
      expect(Number(/^bytes=(\d+)-$/.exec(resumed!.range!)![1])).toBeGreaterThan(0);
    });
  });

  it('keeps the .part after a failure and resumes it on the next run', async () => {
    await withServer({ dropOnce: new Set([MODEL_PATH]) }, async (server) => {
      const dir = freshDir();
      const e = await rejection(downloadHubModel(REPO, dir, { endpoint: server.url, retries: 0 }));
      expect(e.code).toBe('network');
      expect(e.message).toMatch(/model\.safetensors from test-org\/tiny-clip .*run again to resume/);
      const part = statSync(path.join(dir, 'model.safetensors.part')).size;
      expect(part).toBeGreaterThan(0);
      await downloadHubModel(REPO, dir, { endpoint: server.url, retries: 0 });
      expectSameFiles(dir);
      const gets = server.requests.filter((r) => r.method === 'GET' && r.path === MODEL_PATH);
      expect(gets.map((r) => r.range)).toEqual([undefined, `bytes=${part}-`]);
    });
  });

  it('restarts from zero when the server ignores Range', async () => {
    await withServer({ dropOnce: new Set([MODEL_PATH]), range: false }, async (server) => {
      const dir = freshDir();
      await downloadHubModel(REPO, dir, { endpoint: server.url });
      expectSameFiles(dir);
      expect(server.requests.filter((r) => r.method === 'GET' && r.path === MODEL_PATH)).toHaveLength(2);
    });
  });

  it('takes the endpoint from HF_ENDPOINT', async () => {
    const saved = process.env.HF_ENDPOINT;
    await withServer({}, async (server) => {
      process.env.HF_ENDPOINT = server.url;
      try {
        const dir = freshDir();
        await downloadHubModel(REPO, dir, { files: ['config.json'], optionalFiles: [] });
        expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(
          readFileSync(path.join(TINY, 'config.json'), 'utf8'),
        );
      } finally {
        if (saved === undefined) delete process.env.HF_ENDPOINT;
        else process.env.HF_ENDPOINT = saved;
      }
    });
  });

  it('a missing repo is not-found, naming repo and file; a dead server is a network error', async () => {
    await withServer({ notFoundHeaders: { 'x-error-code': 'RepoNotFound' } }, async (server) => {
      const e = await rejection(downloadHubModel('nobody/no-such-clip', freshDir(), { endpoint: server.url }));
      expect(e.code).toBe('not-found');
      expect(e.message).toContain('config.json not found in Hugging Face repo nobody/no-such-clip');
      expect(e.message).toContain('HTTP 404: the repo does not exist');
    });
    const e = await rejection(
      downloadHubModel(REPO, freshDir(), { endpoint: `http://127.0.0.1:${await closedPort()}`, retries: 0 }),
    );
    expect(e.code).toBe('network');
    expect(e.message).toContain('config.json from test-org/tiny-clip');
    expect((await rejection(downloadHubModel('not a repo', freshDir()))).code).toBe('input');
  });
});

describe('progress rendering', () => {
  const p: HubDownloadProgress = {
    file: 'model.safetensors',
    bytes: 270.1e6,
    total: 600e6,
    speed: 35.2e6,
    done: false,
    skipped: false,
  };

  it('formats percent, MB, MB/s and ETA', () => {
    expect(formatProgress(p)).toBe('model.safetensors   45%  270.1/600.0 MB  35.2 MB/s  ETA 0:09');
    expect(formatProgress({ ...p, total: undefined })).toBe('model.safetensors     ?  270.1 MB  35.2 MB/s  ETA --:--');
    expect(formatProgress({ ...p, bytes: 600e6, done: true })).toMatch(/100% {2}600\.0\/600\.0 MB .* done$/);
  });

  it('rewrites one line on a TTY and prints plain lines otherwise', () => {
    const tty: string[] = [],
      log: string[] = [];
    const onTty = createProgressRenderer({ isTTY: true, columns: 120, write: (s) => tty.push(s) });
    const onLog = createProgressRenderer({ isTTY: false, write: (s) => log.push(s) });
    for (let b = 0; b <= 600e6; b += 30e6) {
      const ev = { ...p, bytes: b, done: b === 600e6 };
      onTty(ev);
      onLog(ev);
    }
    expect(tty[0].startsWith('\r')).toBe(true);
    expect(tty.at(-1)!.endsWith('\n')).toBe(true);
    expect(tty.slice(0, -1).every((s) => !s.includes('\n'))).toBe(true);
    expect(log.length).toBe(11); // 0%, 10%, ..., 100% (the last one is the 'done' line)
    expect(log.at(-1)).toMatch(/100% .* done\n$/);
    expect(log.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
  });
});

describe('writeRandomClipModel', () => {
  it('writes a tiny model that passes the config check', async () => {
    const dir = freshDir();
    const { bytes } = await writeRandomClipModel(dir, 'tiny', { seed: 1, tokenizerDir: TINY });
    const config = parseClipConfig(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')));
    expect(config).toEqual(CLIP_PRESETS.tiny);
    const f = await SafetensorsFile.open(new FileSource(path.join(dir, 'model.safetensors')));
    expect(f.size).toBe(bytes);
    checkConfigAgainstTensors(config, f.tensors);
    expect(f.tensors.get('text_model.embeddings.position_ids')).toMatchObject({ dtype: 'I64', shape: [1, 77] });
    expect(Array.from(await f.readF32('logit_scale'))).toEqual([Math.fround(Math.log(100))]);
    const mean = (a: Float32Array) => a.reduce((s, x) => s + x, 0) / a.length;
    const std = (a: Float32Array) => Math.sqrt(mean(a.map((x) => x * x)) - mean(a) ** 2);
    expect(mean(await f.readF32('vision_model.encoder.layers.0.layer_norm1.weight'))).toBeCloseTo(1, 1);
    const w = await f.readF32('text_model.encoder.layers.1.mlp.fc1.weight');
    expect(std(w)).toBeCloseTo(0.02, 3);
    expect(Math.abs(mean(w))).toBeLessThan(1e-3);
    for (const t of ['vocab.json', 'merges.txt']) {
      expect(readFileSync(path.join(dir, t)).equals(readFileSync(path.join(TINY, t)))).toBe(true);
    }
  });

  it('is deterministic per seed, and writes F16', async () => {
    const [a, b, c, h] = [freshDir(), freshDir(), freshDir(), freshDir()];
    await writeRandomClipModel(a, 'tiny', { seed: 7 });
    await writeRandomClipModel(b, 'tiny', { seed: 7 });
    await writeRandomClipModel(c, 'tiny', { seed: 8 });
    const bytes = (d: string) => readFileSync(path.join(d, 'model.safetensors'));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(existsSync(path.join(a, 'vocab.json'))).toBe(false);

    await writeRandomClipModel(h, 'tiny', { seed: 7, dtype: 'F16' });
    const f16 = await SafetensorsFile.open(new FileSource(path.join(h, 'model.safetensors')));
    const f32 = await SafetensorsFile.open(new FileSource(path.join(a, 'model.safetensors')));
    expect(f16.tensors.get('logit_scale')!.dtype).toBe('F16');
    expect((await f16.readF32('logit_scale'))[0]).toBe(4.60546875); // README: F16 logit_scale = 4.605469
    const name = 'vision_model.encoder.layers.0.self_attn.k_proj.weight';
    const [x, y] = [await f16.readF32(name), await f32.readF32(name)];
    expect(x.every((v, i) => Math.abs(v - y[i]) <= Math.abs(y[i]) * 2 ** -11 + 2 ** -25)).toBe(true);
  });
});
