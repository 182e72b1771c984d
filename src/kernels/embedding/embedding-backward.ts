import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './embedding-backward.wgsl?raw';
import positionsSource from './embedding-backward-positions.wgsl?raw';

/**
 * The positions of each distinct id of `ids` (B·T of them), ascending, as the token backward reads
 * them: ids [U] | starts [U + 1] | positions [B·T]. Built on the CPU, where the ids already are.
 */
export function tokenSegments(ids: ArrayLike<number>): Uint32Array {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const list = byId.get(ids[i]);
    if (list) list.push(i);
    else byId.set(ids[i], [i]);
  }
  const unique = [...byId.keys()].sort((a, b) => a - b);
  const U = unique.length;
  const out = new Uint32Array(2 * U + 1 + ids.length);
  out.set(unique);
  let k = 0;
  unique.forEach((id, u) => {
    out[U + u] = k;
    for (const pos of byId.get(id)!) out[2 * U + 1 + k++] = pos;
  });
  out[2 * U] = k;
  return out;
}

/**
 * Backward of `embedding` given dY [B, T, D], accumulated into the gradients: table [V, D] += the
 * rows of the ids (`segments` from `tokenSegments`, repeated ids summed), pos [>= T, D] += Σ_b dY[b].
 */
export function embeddingBackward(pass: Pass, dy: Tensor, segments: Tensor, table: Tensor, pos: Tensor): void {
  const [B, T, D] = dy.shape;
  const U = (segments.size - 1 - B * T) / 2;
  if (!Number.isInteger(U) || U < 1)
    throw new Error(`embeddingBackward: ${segments.size} segment words for ${B * T} positions`);
  if (table.shape[1] !== D || pos.size < T * D)
    throw new Error(`embeddingBackward: table [${table.shape}], pos [${pos.shape}] for dY [${dy.shape}]`);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('embedding-backward', source),
    ctx.uniform([U, D]),
    [dy, segments, table],
    grid(Math.ceil((U * D) / 256)),
  );
  positionsBackward(pass, dy, pos);
}

/**
 * pos[t] += Σ_b dY[b, t] for the first `rows` positions (default all T of dY [B, T, D]): the
 * gradient of a position table added to every sequence, or of the class embedding (rows = 1).
 */
export function positionsBackward(pass: Pass, dy: Tensor, pos: Tensor, rows?: number): void {
  const [B, T, D] = dy.shape;
  const n = rows ?? T;
  if (n > T || pos.size < n * D)
    throw new Error(`positionsBackward: ${n} rows of dY [${dy.shape}] into [${pos.shape}]`);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('embedding-backward-positions', positionsSource),
    ctx.uniform([B, n, D, T * D]),
    [dy, pos],
    grid(Math.ceil((n * D) / 256)),
  );
}
