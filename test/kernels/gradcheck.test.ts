/**
 * Every CPU backward oracle against central finite differences of its CPU forward oracle, in
 * float64: for L(x) = Σ r ⊙ f(x) with random r, the oracle's dx (given dy = r) must match
 * (L(x + h·e_i) − L(x − h·e_i)) / 2h for every input value, relative error (max-norm) < 1e-6.
 */
import { describe, it, expect } from 'vitest';
import { check, f64, gradError } from '../helpers/gradcheck.ts';
import {
  matmulRef,
  matmulBackwardInputRef,
  matmulBackwardWeightRef,
  matmulBackwardBiasRef,
} from '../../src/kernels/matmul/reference.ts';
import { layernormRef, layernormBackwardRef } from '../../src/kernels/layernorm/reference.ts';
import { softmaxRef, softmaxBackwardRef } from '../../src/kernels/softmax/reference.ts';
import { attentionRef, attentionBackwardRef } from '../../src/kernels/attention/reference.ts';
import { activationRef, activationBackwardRef } from '../../src/kernels/activation/reference.ts';
import { l2normRef, l2normBackwardRef } from '../../src/kernels/l2norm/reference.ts';
import { gatherRowsRef, gatherRowsBackwardRef } from '../../src/kernels/gather-rows/reference.ts';

describe('CPU backward oracles vs central finite differences (float64)', () => {
  it('matmul: dX, dW, db (with alpha)', () => {
    const M = 5,
      N = 7,
      K = 3,
      alpha = 1.7;
    const x = f64(M * K, 1),
      w = f64(N * K, 2),
      b = f64(N, 3),
      r = f64(M * N, 4);
    check(
      'matmul dX',
      gradError((v) => matmulRef(v, w, b, M, N, K, alpha), x, r, matmulBackwardInputRef(r, w, M, N, K, alpha)),
    );
    check(
      'matmul dW',
      gradError((v) => matmulRef(x, v, b, M, N, K, alpha), w, r, matmulBackwardWeightRef(r, x, M, N, K, alpha)),
    );
    check(
      'matmul db',
      gradError((v) => matmulRef(x, w, v, M, N, K, alpha), b, r, matmulBackwardBiasRef(r, M, N)),
    );
  });

  it('layernorm: dX, dγ, dβ', () => {
    const rows = 3,
      D = 11,
      eps = 1e-5;
    const x = f64(rows * D, 5, 2).map((v) => v + 3),
      g = f64(D, 6),
      b = f64(D, 7),
      r = f64(rows * D, 8);
    const { dx, dgamma, dbeta } = layernormBackwardRef(x, g, r, D, eps);
    check(
      'layernorm dX',
      gradError((v) => layernormRef(v, g, b, D, eps), x, r, dx),
    );
    check(
      'layernorm dγ',
      gradError((v) => layernormRef(x, v, b, D, eps), g, r, dgamma),
    );
    check(
      'layernorm dβ',
      gradError((v) => layernormRef(x, g, v, D, eps), b, r, dbeta),
    );
  });

  for (const act of ['quick_gelu', 'gelu'] as const) {
    it(`activation ${act}: dX`, () => {
      const x = f64(37, 9, 4),
        r = f64(37, 10);
      check(
        `${act} dX`,
        gradError((v) => activationRef(v, act), x, r, activationBackwardRef(x, r, act)),
      );
    });
  }

  it('softmax: dX from the output', () => {
    const rows = 3,
      N = 7;
    const x = f64(rows * N, 11, 3),
      r = f64(rows * N, 12);
    check(
      'softmax dX',
      gradError((v) => softmaxRef(v, N), x, r, softmaxBackwardRef(softmaxRef(x, N), r, N)),
    );
  });

  for (const causal of [false, true]) {
    it(`attention (causal=${causal}): dQKV, and dP against the probabilities`, () => {
      const B = 2,
        T = 5,
        D = 6,
        H = 2;
      const qkv = f64(B * T * 3 * D, 13, 1.5),
        r = f64(B * T * D, 14);
      const { dqkv, probs, gradProbs } = attentionBackwardRef(qkv, r, B, T, D, H, causal);
      check(
        `attention${causal ? ' causal' : ''} dQKV`,
        gradError((v) => attentionRef(v, B, T, D, H, causal), qkv, r, dqkv),
      );
      // dP: y_i = Σ_j P_ij v_j is linear in P, so perturbing P directly checks dP = dy_i · v_j.
      const hd = D / H;
      const fromProbs = (p: Float64Array) => {
        const y = new Float64Array(B * T * D);
        for (let b = 0; b < B; b++)
          for (let h = 0; h < H; h++)
            for (let i = 0; i < T; i++)
              for (let j = 0; j < T; j++) {
                for (let d = 0; d < hd; d++)
                  y[(b * T + i) * D + h * hd + d] +=
                    p[((b * H + h) * T + i) * T + j] * qkv[(b * T + j) * 3 * D + 2 * D + h * hd + d];
              }
        return y;
      };
      check(`attention${causal ? ' causal' : ''} dP`, gradError(fromProbs, probs, r, gradProbs));
      const y = attentionRef(qkv, B, T, D, H, causal),
        yp = fromProbs(probs);
      expect(Math.max(...Array.from(y, (v, i) => Math.abs(v - yp[i])))).toBeLessThan(1e-12); // P is the forward's
    });
  }

  it('l2norm: dX', () => {
    const rows = 3,
      D = 9;
    const x = f64(rows * D, 15, 2),
      r = f64(rows * D, 16);
    check(
      'l2norm dX',
      gradError((v) => l2normRef(v, D), x, r, l2normBackwardRef(x, r, D)),
    );
  });

  it('gather rows: dX (scatter into zeros)', () => {
    const B = 3,
      T = 5,
      D = 4,
      idx = [0, 4, 2];
    const x = f64(B * T * D, 17),
      r = f64(B * D, 18);
    check(
      'gather rows dX',
      gradError((v) => gatherRowsRef(v, idx, B, T, D), x, r, gatherRowsBackwardRef(r, idx, B, T, D)),
    );
  });
});
