/**
 * From the GPU's A, G (and relevance rollout) to the maps, in float64 on the CPU ([T, D] at most
 * 577 x 1024 values: cheaper than a dispatch and its readback).
 *
 *   gradcam     pytorch-grad-cam `GradCAM` on a ViT (reshape_transform drops CLS):
 *               weights[c] = mean over the patch rows of G[:, c]; cam = relu(A_patches · weights).
 *   gradcam++   pytorch-grad-cam `GradCAMPlusPlus.get_cam_weights` (Chattopadhyay et al. 2018,
 *               "Grad-CAM++", arXiv:1710.11063, eq. 19 with the exponential-score simplification:
 *               taking the score as exp(S) makes its 2nd/3rd derivatives powers of the 1st, so
 *               only G is needed):
 *                 α[p, c] = G² / (2·G² + Σ_p' A[p', c] · G³ + 1e-6), 0 where G = 0,
 *                 weights[c] = Σ_p relu(G[p, c]) · α[p, c];  cam = relu(A_patches · weights).
 *   relevance   Chefer et al. 2021, "Generic Attention-model Explainability for Interpreting
 *               Bi-Modal and Encoder-Decoder Transformers", as their CLIP notebook (`interpret`)
 *               applies it: R = I; for each layer from the start layer up, R += mean_h relu(∇P ⊙ P)·R;
 *               the map is R[CLS, patches].
 *   legrad      Bousselham et al. 2025 (legrad.ts): from each layer l from the start layer up,
 *               ∇P_l = d cos(text, image embedding of layer l's mean token) / dP_l, and
 *               map = Σ_l mean_h mean_rows relu(∇P_l)[:, patches] (`legradMap`).
 *   surgery     Li et al. 2023, CLIP Surgery (surgery.ts): forward only; the patch features of a
 *               v-v attention path without MLPs, against unit(text) − unit(text("")).
 * Normalization (all methods), pytorch-grad-cam's `scale_cam_image`:
 *   cam_norm = (cam − min) / (1e-7 + max(cam − min)).
 */

export type GradCamMethod = 'gradcam' | 'gradcam++' | 'relevance' | 'legrad' | 'surgery';
export const GRADCAM_METHODS: readonly GradCamMethod[] = ['gradcam', 'gradcam++', 'relevance', 'legrad', 'surgery'];

/**
 * The default start layer of each method, counted from the end: Grad-CAM's target is the last
 * layer; LeGrad's wrapper starts 2 layers from the end (layer_index −2); CLIP Surgery's code gives
 * the last 6 blocks the surgery path. A start beyond the first layer is clamped to it.
 */
export const DEFAULT_LAYER: Record<GradCamMethod, number> = {
  gradcam: -1,
  'gradcam++': -1,
  relevance: -1,
  legrad: -2,
  surgery: -6,
};

/** Channel weights [D] from G [T, D] (row 0 = CLS, ignored) and, for gradcam++, A [T, D]. */
export function channelWeights(
  A: ArrayLike<number>,
  G: ArrayLike<number>,
  T: number,
  D: number,
  method: 'gradcam' | 'gradcam++',
): Float64Array {
  const weights = new Float64Array(D);
  const P = T - 1;
  if (method === 'gradcam') {
    for (let p = 1; p < T; p++) for (let c = 0; c < D; c++) weights[c] += G[p * D + c];
    for (let c = 0; c < D; c++) weights[c] /= P;
    return weights;
  }
  const sumA = new Float64Array(D);
  for (let p = 1; p < T; p++) for (let c = 0; c < D; c++) sumA[c] += A[p * D + c];
  for (let p = 1; p < T; p++) {
    for (let c = 0; c < D; c++) {
      const g = G[p * D + c];
      if (g === 0) continue;
      const g2 = g * g;
      const alpha = g2 / (2 * g2 + sumA[c] * g2 * g + 1e-6);
      weights[c] += Math.max(g, 0) * alpha;
    }
  }
  return weights;
}

/** relu(A_patches · weights): one value per patch, row-major. */
export function weightedActivations(
  A: ArrayLike<number>,
  weights: ArrayLike<number>,
  T: number,
  D: number,
): Float32Array {
  const cam = new Float32Array(T - 1);
  for (let p = 1; p < T; p++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += A[p * D + c] * weights[c];
    cam[p - 1] = Math.max(s, 0);
  }
  return cam;
}

/** The CLS row of the rolled-out relevance R without its CLS column, from Rᵀ [T, T]: R[0, j] = Rᵀ[j, 0]. */
export function relevanceMap(relevanceT: ArrayLike<number>, T: number): Float32Array {
  return Float32Array.from({ length: T - 1 }, (_, j) => relevanceT[(j + 1) * T]);
}

/**
 * LeGrad's map from each layer's ds_l/dP_l [H, T, T] (row-major, CLS first):
 * Σ_l mean over heads and query rows of relu(∇P_l), the CLS column dropped: T − 1 values.
 */
export function legradMap(gradProbs: readonly ArrayLike<number>[], heads: number, T: number): Float32Array {
  const sum = new Float64Array(T - 1);
  for (const g of gradProbs) {
    if (g.length !== heads * T * T) throw new Error(`legradMap: ${g.length} values for [${heads}, ${T}, ${T}]`);
    for (let r = 0; r < heads * T; r++) {
      for (let j = 1; j < T; j++) sum[j - 1] += Math.max(g[r * T + j], 0);
    }
  }
  return Float32Array.from(sum, (v) => v / (heads * T));
}

/** pytorch-grad-cam's scale_cam_image: (cam − min) / (1e-7 + max(cam − min)). */
export function normalizeCam(cam: ArrayLike<number>): Float32Array {
  let lo = Infinity;
  for (let i = 0; i < cam.length; i++) lo = Math.min(lo, cam[i]);
  let hi = 0;
  for (let i = 0; i < cam.length; i++) hi = Math.max(hi, cam[i] - lo);
  return Float32Array.from({ length: cam.length }, (_, i) => (cam[i] - lo) / (1e-7 + hi));
}
