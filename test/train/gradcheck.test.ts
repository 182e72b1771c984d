/** The training ops' CPU backward oracles against central finite differences of their forward oracles (float64). */
import { describe, it } from 'vitest';
import { check, f64, gradError } from '../helpers/gradcheck.ts';
import { contrastiveLossRef } from '../../src/kernels/contrastive-loss/reference.ts';
import { embeddingBackwardRef, embeddingRef } from '../../src/kernels/embedding/reference.ts';
import { patchEmbedBackwardRef, patchEmbedRef } from '../../src/kernels/patch-embed/reference.ts';

describe('training oracles vs central finite differences (float64)', () => {
  it('contrastive loss: dS and d(logit scale)', () => {
    const B = 5,
      s = 1.3;
    const S = f64(B * B, 21),
      one = [1];
    const ref = contrastiveLossRef(S, B, s);
    check(
      'contrastive dS',
      gradError((v) => [contrastiveLossRef(v, B, s).loss], S, one, ref.dS),
    );
    check(
      'contrastive dScale',
      gradError((v) => [contrastiveLossRef(S, B, v[0]).loss], Float64Array.of(s), one, [ref.dScale]),
    );
  });

  it('patch embedding: dW, dcls, dpos', () => {
    const B = 2,
      C = 3,
      S = 6,
      P = 3,
      D = 4,
      T = 1 + (S / P) ** 2;
    const px = f64(B * C * S * S, 22),
      w = f64(D * C * P * P, 23),
      cls = f64(D, 24),
      pos = f64(T * D, 25),
      r = f64(B * T * D, 26);
    const { dw, dcls, dpos } = patchEmbedBackwardRef(px, r, B, C, S, P, D);
    check(
      'patch-embed dW',
      gradError((v) => patchEmbedRef(px, v, cls, pos, B, C, S, P, D), w, r, dw),
    );
    check(
      'patch-embed dcls',
      gradError((v) => patchEmbedRef(px, w, v, pos, B, C, S, P, D), cls, r, dcls),
    );
    check(
      'patch-embed dpos',
      gradError((v) => patchEmbedRef(px, w, cls, v, B, C, S, P, D), pos, r, dpos),
    );
  });

  it('token embedding: the rows of repeated ids summed, and dpos', () => {
    const B = 2,
      T = 4,
      D = 3,
      V = 6,
      ids = [5, 1, 1, 0, 1, 3, 5, 5];
    const table = f64(V * D, 27),
      pos = f64(T * D, 28),
      r = f64(B * T * D, 29);
    const { rows, dpos } = embeddingBackwardRef(ids, r, B, T, D);
    const dense = new Float64Array(V * D);
    for (const [id, row] of rows) dense.set(row, id * D);
    check(
      'embedding dTable',
      gradError((v) => embeddingRef(ids, v, pos, B, T, D), table, r, dense),
    );
    check(
      'embedding dpos',
      gradError((v) => embeddingRef(ids, table, v, B, T, D), pos, r, dpos),
    );
  });
});
