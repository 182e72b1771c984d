/**
 * A loopback server laid out like the Hugging Face hub (`/<repo>/resolve/main/<file>`) that injects
 * one fault per GET from a queue: a body cut short (with the full Content-Length), a dropped
 * connection, a 500, a wrong Content-Length, a stall, or a corrupted byte. HEAD answers as the hub
 * does for LFS files: a redirect with X-Linked-Size and X-Linked-Etag (the SHA-256).
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'truncate' | 'drop' | 'status500' | 'long-length' | 'stall' | 'corrupt' | 'none';

export interface FaultServer {
  url: string;
  /** Faults for the next GETs of this path, in order. */
  faults: Map<string, Fault[]>;
  gets: { path: string; range: string | undefined; fault: Fault }[];
  close(): Promise<void>;
}

export async function startFaultServer(
  files: Map<string, Uint8Array>,
  { lfs = true, stallMs = 2_000 } = {},
): Promise<FaultServer> {
  const faults = new Map<string, Fault[]>();
  const gets: FaultServer['gets'] = [];
  const sha = new Map([...files].map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')]));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/cdn/, '');
    const body = files.get(path);
    if (!body) return void res.writeHead(404, { 'x-error-code': 'EntryNotFound' }).end('Entry not found');
    if (req.method === 'HEAD') {
      if (lfs && !url.pathname.startsWith('/cdn')) {
        return void res
          .writeHead(302, {
            location: `/cdn${path}`,
            'x-linked-size': body.length,
            'x-linked-etag': `"${sha.get(path)}"`,
          })
          .end();
      }
      return void res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' }).end();
    }
    const fault = faults.get(path)?.shift() ?? 'none';
    gets.push({ path, range: req.headers.range, fault });
    if (fault === 'status500') return void res.writeHead(500).end('Internal error');
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    let part = body.subarray(start);
    const headers: Record<string, string | number> = { 'content-length': part.length, 'accept-ranges': 'bytes' };
    if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    if (fault === 'long-length') headers['content-length'] = part.length + 1000;
    res.writeHead(m ? 206 : 200, headers);
    const half = part.subarray(0, part.length >> 1);
    if (fault === 'corrupt') {
      part = part.slice();
      part[part.length >> 2] ^= 0xff;
    }
    // long-length: the header claims more than the server has, which ends three quarters in.
    if (fault === 'truncate' || fault === 'long-length')
      return void endEarly(res, fault === 'truncate' ? half : part.subarray(0, (part.length * 3) >> 2));
    if (fault === 'drop') return void res.write(half, () => res.socket?.destroy());
    if (fault === 'stall') {
      res.write(half);
      const t = setTimeout(() => res.end(part.subarray(half.length)), stallMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    gets,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Sends these bytes, then closes the connection while the client still expects more. */
function endEarly(res: ServerResponse, bytes: Uint8Array): void {
  res.write(bytes, () => setTimeout(() => res.socket?.destroy(), 20));
}
