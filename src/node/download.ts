/**
 * Downloads a CLIP folder from the Hugging Face hub (or any server with the same URL layout):
 * `.part` files resumed with Range requests, atomic rename when complete and verified (size, and the
 * SHA-256 the hub names for LFS files in X-Linked-Etag), complete files skipped. A stalled
 * connection is given up after `stallTimeoutMs` and resumed like a dropped one.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ClipError } from '../errors.ts';
import {
  CLIP_OPTIONAL_FILES,
  CLIP_REQUIRED_FILES,
  DEFAULT_HUB_ENDPOINT,
  hubFileUrl,
  validateRepoId,
} from '../model/hub.ts';
import { errorText } from '../model/sources.ts';
import { writeAll } from './safetensors-stream.ts';

/** Progress of one file downloaded to disk (the browser's cache reports CacheDownloadProgress). */
export interface HubDownloadProgress {
  file: string;
  /** Bytes on disk so far, resumed bytes included. */
  bytes: number;
  total: number | undefined;
  /** Bytes per second over this transfer (resumed bytes excluded). */
  speed: number;
  done: boolean;
  skipped: boolean;
}

export interface DownloadOptions {
  /** Default: $HF_ENDPOINT, else https://huggingface.co (as huggingface_hub). */
  endpoint?: string;
  revision?: string;
  files?: readonly string[];
  optionalFiles?: readonly string[];
  onProgress?: (p: HubDownloadProgress) => void;
  /** Resume attempts after a dropped connection, per file. Default 3. */
  retries?: number;
  /** A transfer that receives nothing for this long is dropped and resumed. Default 60 s. */
  stallTimeoutMs?: number;
}

export interface DownloadedFile {
  file: string;
  path: string;
  bytes: number;
  status: 'downloaded' | 'skipped' | 'missing-optional';
}

export function hubEndpoint(explicit?: string): string {
  return explicit || process.env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT;
}

/** `weights/<name>` for "org/name". */
export function defaultModelDir(repoId: string, root = 'weights'): string {
  return join(root, basename(validateRepoId(repoId)));
}

export async function downloadHubModel(
  repoId: string,
  outDir: string,
  options: DownloadOptions = {},
): Promise<{ dir: string; files: DownloadedFile[] }> {
  validateRepoId(repoId);
  const endpoint = hubEndpoint(options.endpoint),
    revision = options.revision ?? 'main';
  await mkdir(outDir, { recursive: true });
  const files: DownloadedFile[] = [];
  const wanted = [
    ...(options.files ?? CLIP_REQUIRED_FILES).map((f) => ({ f, required: true })),
    ...(options.optionalFiles ?? CLIP_OPTIONAL_FILES).map((f) => ({ f, required: false })),
  ];
  for (const { f, required } of wanted) {
    const url = hubFileUrl(repoId, f, { endpoint, revision });
    const ctx: FileJob = { repoId, revision, file: f, url, dest: join(outDir, f), required, options };
    files.push(await downloadFile(ctx));
  }
  return { dir: outDir, files };
}

interface FileJob {
  repoId: string;
  revision: string;
  file: string;
  url: string;
  dest: string;
  required: boolean;
  options: DownloadOptions;
}

class Missing extends Error {
  constructor() {
    super('optional file not found');
  }
}

async function request(job: FileJob, init: RequestInit, url = job.url): Promise<Response> {
  let res: Response;
  try {
    // identity: a gzip-encoded body would not match Content-Length or resume offsets.
    res = await fetch(url, {
      ...init,
      headers: { 'accept-encoding': 'identity', ...(init.headers as Record<string, string>) },
    });
  } catch (e) {
    const why = init.signal?.aborted ? String(init.signal.reason) : errorText(e);
    throw new ClipError('network', `Network error downloading ${job.file} from ${job.repoId} (${job.url}): ${why}`, {
      cause: e,
    });
  }
  // The hub answers 401 for repos that do not exist (or are private/gated) to anonymous users.
  if (res.status === 404 || res.status === 401 || res.status === 403) {
    void res.body?.cancel();
    if (!job.required) throw new Missing();
    const code = res.headers.get('x-error-code');
    const why =
      code === 'RepoNotFound'
        ? 'the repo does not exist (or is private/gated)'
        : code === 'EntryNotFound'
          ? 'the repo has no such file'
          : code === 'RevisionNotFound'
            ? `no revision "${job.revision}"`
            : res.status === 404
              ? 'no such repo or file'
              : 'the repo does not exist, or it is private/gated';
    throw new ClipError(
      'not-found',
      `${job.file} not found in Hugging Face repo ${job.repoId} at ${job.url} (HTTP ${res.status}: ${why})`,
    );
  }
  if (!res.ok && init.method !== 'HEAD' && res.status !== 416) {
    void res.body?.cancel();
    throw new ClipError(
      'network',
      `HTTP ${res.status} ${res.statusText} downloading ${job.file} from ${job.repoId} (${job.url})`,
    );
  }
  return res;
}

const sizeOf = (p: string) =>
  stat(p).then(
    (s) => s.size,
    () => undefined,
  );
const lengthHeader = (res: Response, h = 'content-length'): number | undefined => {
  const v = res.headers.get(h);
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
};

async function downloadFile(job: FileJob): Promise<DownloadedFile> {
  const { file, dest } = job;
  const report = (bytes: number, total: number | undefined, speed: number, done: boolean, skipped = false) =>
    job.options.onProgress?.({ file, bytes, total, speed, done, skipped });
  let total: number | undefined;
  let sha256: string | undefined;
  try {
    ({ total, sha256 } = await remoteFacts(job));
  } catch (e) {
    if (e instanceof Missing) return { file, path: dest, bytes: 0, status: 'missing-optional' };
    throw e;
  }
  // Complete files only ever appear by rename, so an existing one is whole unless the remote changed.
  const existing = await sizeOf(dest);
  if (existing !== undefined && (total === undefined || existing === total)) {
    report(existing, existing, 0, true, true);
    return { file, path: dest, bytes: existing, status: 'skipped' };
  }

  const part = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true }); // files may live in subfolders
  const retries = job.options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    let have = (await sizeOf(part)) ?? 0;
    if (total !== undefined && have > total) {
      await rm(part, { force: true }); // longer than the file: not a prefix of it
      have = 0;
    }
    try {
      if (total === undefined || have < total) {
        const got = await transfer(job, part, have, (b, t, speed) => report(b, t ?? total, speed, false));
        total ??= got.total;
        have = got.have;
      }
      if (total !== undefined && have !== total) {
        throw new ClipError('network', `download of ${file} from ${job.repoId} stopped at ${have} of ${total} bytes`);
      }
      if (sha256 && (await fileSha256(part)) !== sha256) {
        await rm(part, { force: true }); // corrupt: never kept, never renamed into place
        throw new ClipError(
          'network',
          `download of ${file} from ${job.repoId} does not match the SHA-256 the hub gives (${sha256}); it was deleted`,
        );
      }
      await rename(part, dest);
      report(have, total ?? have, 0, true);
      return { file, path: dest, bytes: have, status: 'downloaded' };
    } catch (e) {
      if (!(e instanceof ClipError) || e.code !== 'network' || attempt >= retries) {
        if (e instanceof ClipError && e.code === 'network') {
          const size = (await sizeOf(part)) ?? 0;
          e.message += ` — ${size} bytes kept in ${part}; run again to resume`;
        }
        throw e;
      }
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}

/**
 * Size and, for LFS files, SHA-256 of the remote file. The hub answers a HEAD on an LFS file with a
 * redirect whose X-Linked-Size / X-Linked-Etag describe the file (huggingface_hub reads them the same
 * way); other servers answer 200 with Content-Length.
 */
async function remoteFacts(job: FileJob): Promise<{ total: number | undefined; sha256: string | undefined }> {
  const head = await request(job, { method: 'HEAD', redirect: 'manual' });
  const etag = /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(head.headers.get('x-linked-etag') ?? '')?.[1]?.toLowerCase();
  if (head.status >= 300 && head.status < 400) {
    const linked = lengthHeader(head, 'x-linked-size');
    const location = head.headers.get('location');
    if (linked !== undefined || !location) return { total: linked, sha256: etag };
    const next = await request(job, { method: 'HEAD' }, new URL(location, job.url).href);
    return { total: next.ok ? lengthHeader(next) : undefined, sha256: etag };
  }
  return { total: head.ok ? lengthHeader(head) : undefined, sha256: etag };
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One GET into `part`, resuming at `have` when the server honours Range. */
async function transfer(
  job: FileJob,
  part: string,
  have: number,
  progress: (bytes: number, total: number | undefined, speed: number) => void,
) {
  // A stalled server is dropped after stallTimeoutMs without a byte, and resumed as a dropped connection.
  const stall = new AbortController();
  const stallMs = job.options.stallTimeoutMs ?? 60_000;
  let timer = setTimeout(() => stall.abort(`no data for ${stallMs / 1000} s`), stallMs);
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(`no data for ${stallMs / 1000} s`), stallMs);
  };
  try {
    return await transferOnce(job, part, have, progress, stall.signal, alive);
  } finally {
    clearTimeout(timer);
  }
}

async function transferOnce(
  job: FileJob,
  part: string,
  have: number,
  progress: (bytes: number, total: number | undefined, speed: number) => void,
  signal: AbortSignal,
  alive: () => void,
): Promise<{ have: number; total: number | undefined }> {
  const res = await request(job, have > 0 ? { headers: { range: `bytes=${have}-` }, signal } : { signal });
  if (res.status === 416) {
    // our .part is not a prefix of the remote file: start over
    void res.body?.cancel();
    await rm(part, { force: true });
    return transferOnce(job, part, 0, progress, signal, alive);
  }
  let total: number | undefined;
  if (res.status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have) {
      // a range we did not ask for: restart cleanly
      void res.body?.cancel();
      await rm(part, { force: true });
      return transferOnce(job, part, 0, progress, signal, alive);
    }
    total = m[2] === '*' ? undefined : Number(m[2]);
  } else {
    have = 0; // 200: the server ignored Range, so the body is the whole file
    total = lengthHeader(res);
  }
  const fh = await open(part, have > 0 ? 'r+' : 'w');
  if (have > 0) await fh.truncate(have);
  const start = Date.now(),
    resumedAt = have;
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        alive();
        await writeAll(fh, chunk, have);
        have += chunk.byteLength;
        progress(have, total, ((have - resumedAt) * 1000) / Math.max(1, Date.now() - start));
      }
    }
  } catch (e) {
    if (e instanceof ClipError) throw e;
    const why = signal.aborted ? String(signal.reason) : errorText(e);
    throw new ClipError(
      'network',
      `download of ${job.file} from ${job.repoId} interrupted at ${have}${total ? ` of ${total}` : ''} bytes: ${why}`,
      { cause: e },
    );
  } finally {
    await fh.close();
  }
  return { have, total };
}
