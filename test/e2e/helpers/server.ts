/**
 * One loopback HTTP server for the browser tests, laid out like the places a page meets in real use:
 *   /<org>/<name>/resolve/main/<file>  a Hugging Face-like hub (Range, HEAD, 401 for unknown repos)
 *   /dist, /examples, /test/e2e/pages   static files from the repository
 *   everything else                     the Vite dev server (the `npm run dev` playground), if asked for
 * Every request is logged, and the hub can be made to drop a download half-way once.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import type { ViteDevServer } from 'vite';
import { TINY } from '../../helpers/fixtures.ts';

export const ROOT = resolve(__dirname, '../../..');
/** The hub id the tiny fixture is served under. */
export const TINY_ID = 'clip-webgpu/tiny-clip';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.css': 'text/css',
  '.safetensors': 'application/octet-stream',
};

export interface HubRequest {
  method: string;
  path: string;
  range: string | undefined;
}

export interface TestServer {
  url: string;
  /** Requests that reached the hub routes. */
  hubRequests: HubRequest[];
  /** The next full GET of this hub file sends `bytes` bytes, then drops the connection. */
  dropOnce(file: string, bytes: number): void;
  /** Hub downloads at this many bytes per second (0: as fast as possible), so progress can be watched. */
  throttle(bytesPerSecond: number): void;
  close(): Promise<void>;
}

export async function startTestServer({ vite = false } = {}): Promise<TestServer> {
  const hubRequests: HubRequest[] = [];
  const drops = new Map<string, number>();
  const pace = { bytesPerSecond: 0 };
  let dev: ViteDevServer | undefined;
  if (vite) {
    const { createServer: createVite } = await import('vite');
    dev = await createVite({
      root: ROOT,
      // Our own dependency cache: node_modules may be shared (a linked checkout), and another dev server
      // re-optimizing into the same folder would pull modules from under this page.
      cacheDir: resolve(ROOT, '.cache/vite'),
      logLevel: 'warn',
      server: { middlewareMode: true, hmr: false, ws: false },
      appType: 'spa',
    });
  }
  const repos = new Map([[TINY_ID, TINY]]);

  const hub = (req: IncomingMessage, res: ServerResponse, repo: string, file: string) => {
    hubRequests.push({ method: req.method ?? '', path: `/${repo}/resolve/main/${file}`, range: req.headers.range });
    const dir = repos.get(repo);
    // The hub answers 401 (not 404) for repos that do not exist or are private.
    if (!dir) return void res.writeHead(401, { 'x-error-code': 'RepoNotFound' }).end('Repository not found');
    const path = join(dir, normalize(file));
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) {
      return void res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
    }
    sendFile(req, res, path, drops, pace.bytesPerSecond);
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const m = /^\/([\w.-]+\/[\w.-]+)\/resolve\/main\/(.+)$/.exec(path);
    if (m) return hub(req, res, m[1], m[2]);
    if (/^\/(dist|examples|test\/e2e\/pages)\//.test(path) || !dev) {
      const file = resolve(ROOT, '.' + normalize(path));
      if (file.startsWith(ROOT) && existsSync(file) && statSync(file).isFile())
        return sendFile(req, res, file, new Map());
      if (!dev) return void res.writeHead(404).end('not found');
    }
    dev!.middlewares(req, res, () => res.writeHead(404).end('not found'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hubRequests,
    dropOnce: (file, bytes) => drops.set(file, bytes),
    throttle: (bytesPerSecond) => (pace.bytesPerSecond = bytesPerSecond),
    close: async () => {
      await dev?.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  drops: Map<string, number>,
  bytesPerSecond = 0,
) {
  const size = statSync(file).size;
  const headers = {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
  };
  if (req.method === 'HEAD') return void res.writeHead(200, { ...headers, 'content-length': size }).end();
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (m) {
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    res.writeHead(206, {
      ...headers,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
    });
    return void send(res, file, start, end, bytesPerSecond);
  }
  const name = file.slice(file.lastIndexOf('/') + 1);
  const drop = drops.get(name);
  res.writeHead(200, { ...headers, 'content-length': size });
  if (drop !== undefined) {
    drops.delete(name);
    const head = readFileSync(file).subarray(0, drop);
    return void res.write(head, () => setTimeout(() => res.socket?.destroy(), 50));
  }
  send(res, file, 0, size - 1, bytesPerSecond);
}

/** Bytes start..end (inclusive), paced in 64 kB pieces when a rate is set. */
function send(res: ServerResponse, file: string, start: number, end: number, bytesPerSecond: number) {
  if (!bytesPerSecond || end - start < 1 << 20) return void createReadStream(file, { start, end }).pipe(res);
  const bytes = readFileSync(file).subarray(start, end + 1);
  const piece = 1 << 16;
  let at = 0;
  const next = () => {
    if (res.destroyed) return;
    if (at >= bytes.byteLength) return void res.end();
    res.write(bytes.subarray(at, at + piece));
    at += piece;
    setTimeout(next, (piece / bytesPerSecond) * 1000);
  };
  next();
}
