/**
 * Matmul versions A/B on one encoder layer's four matmuls (qkv, out + residual, fc1 + quick_gelu,
 * fc2 + residual), each version validated against the CPU reference, then their samples alternating in
 * one process (the bench harness's runInterleaved), so this shared machine's drifting speed hits them
 * alike. Prints each shape's median and the layer's sum per version. Asserts nothing.
 * MM_OP=backward times the backward's two products (dX, dW) of the same shapes instead (versions v1, v2).
 *   MM_VERSIONS=v6,v7 MM_M=50 MM_D=768 MM_ADAPTER=gles MM_SAMPLES=15 \
 *     npx vitest run --config scripts/measure/vitest.config.ts matmul-ab
 * M = rows (50: one B/32 image; 14: one prompt; 4160: a training batch of 64 tiny-model images),
 * D = width (768: B/32 vision; 512: text; 64: the shipped model).
 */
import { it } from 'vitest';
import { gpu } from '../../test/helpers/gpu.ts';
import { matmulBackwardCase, matmulCase } from '../../src/bench/cases.ts';
import { createTimer, runInterleaved } from '../../src/bench/harness.ts';
import type { Activation } from '../../src/kernels/activation/activation.ts';

const env = process.env;
const VERSIONS = (env.MM_VERSIONS ?? 'v6,v7').split(',');
const M = Number(env.MM_M ?? 50);
const D = Number(env.MM_D ?? 768);
const SAMPLES = Number(env.MM_SAMPLES ?? 15);

it(`matmul ${VERSIONS.join(' vs ')} at M = ${M}, width ${D}`, async () => {
  const ctx = await gpu((env.MM_ADAPTER ?? 'gles') as 'gles' | 'swiftshader');
  const timer = createTimer(ctx);
  const layer: [string, number, number, Activation | undefined, boolean][] = [
    ['qkv', 3 * D, D, undefined, false],
    ['out', D, D, undefined, true],
    ['fc1', 4 * D, D, 'quick_gelu', false],
    ['fc2', D, 4 * D, undefined, true],
  ];
  const total = new Map<string, number>();
  for (const [role, N, K, act, residual] of layer) {
    const products = env.MM_OP === 'backward' ? (['input', 'weight'] as const) : ([undefined] as const);
    for (const product of products) {
      const cases = VERSIONS.map((version) =>
        product ? matmulBackwardCase(product, M, N, K, { version }) : matmulCase(M, N, K, { version, act, residual }),
      );
      const results = await runInterleaved(ctx, cases, timer, { samples: SAMPLES });
      for (const r of results) total.set(r.version, (total.get(r.version) ?? 0) + (r.ms ?? Number.NaN));
      console.log(
        `${role}${product ? ` d${product === 'input' ? 'X' : 'W'}` : ''} M=${M} N=${N} K=${K}:`,
        results.map((r) => `${r.version} ${r.ms === null ? r.error : `${r.ms.toFixed(2)} ms`}`).join('  '),
      );
    }
  }
  console.log('layer:', [...total].map(([v, ms]) => `${v} ${ms.toFixed(2)} ms`).join('  '));
}, 900_000);
