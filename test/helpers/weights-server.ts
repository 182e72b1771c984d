/** A loopback HTTP server for the weights tests: static files, optional Range, HEAD, dropped connections. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  method: string;
  path: string;
  range: string | undefined;
}

export interface WeightsServerOptions {
  /** url path -> bytes. */
  files: Map<string, Uint8Array>;
  range?: boolean;
  head?: boolean;
  /** Paths whose first full GET sends half the body, then drops the connection. */
  dropOnce?: Set<string>;
  /** Extra headers on 404s (the hub sends x-error-code). */
  notFoundHeaders?: Record<string, string>;
}

export interface WeightsServer {
  url: string;
  requests: ServedRequest[];
  close(): Promise<void>;
}

export async function startWeightsServer(opts: WeightsServerOptions): Promise<WeightsServer> {
  const requests: ServedRequest[] = [];
  const dropped = new Set<string>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const range = req.headers.range;
    requests.push({ method: req.method ?? '', path, range });
    const body = opts.files.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain', ...opts.notFoundHeaders }).end('not found');
      return;
    }
    if (req.method === 'HEAD') {
      if (opts.head === false) res.writeHead(405).end();
      else
        res
          .writeHead(200, {
            'content-length': body.byteLength,
            'accept-ranges': opts.range === false ? 'none' : 'bytes',
          })
          .end();
      return;
    }
    const m = range && opts.range !== false ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (m) {
      const start = Number(m[1]),
        end = m[2] ? Math.min(Number(m[2]), body.byteLength - 1) : body.byteLength - 1;
      if (start >= body.byteLength) {
        res.writeHead(416, { 'content-range': `bytes */${body.byteLength}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${body.byteLength}`,
      });
      res.end(body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-length': body.byteLength });
    if (opts.dropOnce?.has(path) && !dropped.has(path)) {
      dropped.add(path);
      res.write(body.subarray(0, body.byteLength >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
