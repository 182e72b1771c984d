import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle: table[ids] + positions (the type of `table`). */
export function embeddingRef<A extends Floats>(
  ids: ArrayLike<number>,
  table: A,
  pos: ArrayLike<number>,
  B: number,
  T: number,
  D: number,
): A {
  const y = zerosLike(table, B * T * D);
  for (let bt = 0; bt < B * T; bt++) {
    const t = bt % T;
    for (let d = 0; d < D; d++) y[bt * D + d] = table[ids[bt] * D + d] + pos[t * D + d];
  }
  return y;
}

/**
 * Embedding backward from dY [B, T, D]: the gradient rows of the ids present (a repeated id sums its
 * positions' rows, in position order; every other row of the table is zero) and dPos[t] = Σ_b dY[b, t].
 */
export function embeddingBackwardRef(
  ids: ArrayLike<number>,
  dy: ArrayLike<number>,
  B: number,
  T: number,
  D: number,
): { rows: Map<number, Float64Array>; dpos: Float64Array } {
  const rows = new Map<number, Float64Array>();
  const dpos = new Float64Array(T * D);
  for (let bt = 0; bt < B * T; bt++) {
    let row = rows.get(ids[bt]);
    if (!row) rows.set(ids[bt], (row = new Float64Array(D)));
    for (let d = 0; d < D; d++) {
      row[d] += dy[bt * D + d];
      dpos[(bt % T) * D + d] += dy[bt * D + d];
    }
  }
  return { rows, dpos };
}
