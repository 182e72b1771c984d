/**
 * The one ClipModel a page shares. A loader publishes it with a bubbling, composed
 * `clip-model-ready` event; elements that need a model follow it through SharedModelController
 * (components/shared/model-controller.ts), which takes currentModel() when they connect after it was sent.
 */
import type { ClipModel } from '../model/clip.ts';
import { isShippedModelUrl, SHIPPED_MODEL } from '../model/shipped.ts';

export const MODEL_READY = 'clip-model-ready';
/** Sent by an element whose model failed on the GPU (device lost): the page's loader loads it again. */
export const MODEL_RELOAD = 'clip-model-reload';
/**
 * The model a loader starts with: the shipped one (`weights/shapes-clip`, served beside the code,
 * offline). A loader reads this name as the shipped model's folder URL (shippedModelUrl()).
 */
export const DEFAULT_MODEL = SHIPPED_MODEL;
/** The real CLIP one click away (a 600 MB download from the Hugging Face hub). */
export const HUB_MODEL = 'openai/clip-vit-base-patch32';

/** True for the shipped model's name or its folder URL. */
export function isShippedSource(source: string): boolean {
  return source.trim() === SHIPPED_MODEL || isShippedModelUrl(source);
}

export interface ModelReadyDetail {
  model: ClipModel;
  /** The hub id, URL or folder name it came from. */
  source: string;
  /** True when no byte came over the network. */
  fromCache: boolean;
  /** Loaded from files the user dropped or chose (so `source` is only a name). */
  local: boolean;
  /** The shipped model (trained on the procedural world): elements offer its samples and label presets. */
  shipped?: boolean;
}

let current: ModelReadyDetail | null = null;
const shippedModels = new WeakSet<ClipModel>();

/** True when `model` was published as the shipped model. */
export function isShippedModel(model: ClipModel | null): boolean {
  return !!model && shippedModels.has(model);
}

export function currentModel(): ClipModel | null {
  return current?.model ?? null;
}

export function publishModel(from: EventTarget, detail: ModelReadyDetail): void {
  current = detail;
  if (detail.shipped) shippedModels.add(detail.model);
  from.dispatchEvent(new CustomEvent<ModelReadyDetail>(MODEL_READY, { detail, bubbles: true, composed: true }));
}

/** Calls `fn` with every model published from now on; returns the unsubscribe function. */
export function onModelReady(fn: (d: ModelReadyDetail) => void): () => void {
  const handler = (e: Event) => fn((e as CustomEvent<ModelReadyDetail>).detail);
  window.addEventListener(MODEL_READY, handler);
  return () => window.removeEventListener(MODEL_READY, handler);
}

/** A CustomEvent that crosses shadow roots, as every clip-* event does. */
export function emit<T>(from: EventTarget, type: string, detail: T): void {
  from.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}

/** Asks the page's loader to load the current model again (after a lost device). */
export function requestModelReload(from: EventTarget): void {
  emit(from, MODEL_RELOAD, {});
}

/** Calls `fn` on every reload request; returns the unsubscribe function. */
export function onModelReloadRequest(fn: () => void): () => void {
  const handler = () => fn();
  window.addEventListener(MODEL_RELOAD, handler);
  return () => window.removeEventListener(MODEL_RELOAD, handler);
}
