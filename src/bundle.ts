/**
 * The library bundle (`npm run build` -> dist/clip-webgpu.js): the engine's browser API plus every
 * clip-* element, defined on import. One `<script type="module">` is all a page needs.
 */
export * from './index.ts';
export * from './playground/components/index.ts';
export { WeightsCache, type CacheUsage, type CacheDownloadProgress } from './playground/weights-cache.ts';
export {
  currentModel,
  DEFAULT_MODEL,
  HUB_MODEL,
  isShippedModel,
  MODEL_READY,
  type ModelReadyDetail,
} from './playground/shared-model.ts';
export { WORLD_PRESETS, type WorldPreset, type WorldPresetId } from './playground/world-presets.ts';
