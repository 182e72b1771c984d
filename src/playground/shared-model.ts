/**
 * The one ClipModel a page shares. A loader publishes it with a bubbling, composed
 * `clip-model-ready` event; elements that need a model follow it through SharedModelController
 * (components/shared/model-controller.ts), which takes currentModel() when they connect after it was sent.
 */
import type { ClipModel } from '../model/clip.ts';

export const MODEL_READY = 'clip-model-ready';
export const DEFAULT_MODEL = 'openai/clip-vit-base-patch32';

export interface ModelReadyDetail {
  model: ClipModel;
  /** The hub id, URL or folder name it came from. */
  source: string;
  /** True when no byte came over the network. */
  fromCache: boolean;
  /** Loaded from files the user dropped or chose (so `source` is only a name). */
  local: boolean;
}

let current: ModelReadyDetail | null = null;

export function currentModel(): ClipModel | null {
  return current?.model ?? null;
}

export function publishModel(from: EventTarget, detail: ModelReadyDetail): void {
  current = detail;
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
