import { html, nothing } from 'lit';
import { ClipError } from '../../../errors.ts';
import { requestModelReload } from '../../shared-model.ts';

/** What an element shows and sends as `clip-error`: a ClipError's code (or "unknown") and its message. */
export interface ElementError {
  code: string;
  message: string;
}

/** The `error` property's value for a thrown error. */
export function errorDetail(e: unknown): ElementError {
  return e instanceof ClipError
    ? { code: e.code, message: e.message }
    : { code: 'unknown', message: String((e as Error)?.message ?? e) };
}

/**
 * For a GPU failure (device lost, out of memory), a button that asks the page's loader to load the
 * model again: every element then gets the new model, without a page refresh. Nothing otherwise.
 */
export function reloadOffer(error: ElementError | null, from: EventTarget) {
  if (error?.code !== 'gpu') return nothing;
  return html`<div class="reload"><button part="reload-button" class="link" type="button"
    @click=${() => requestModelReload(from)}>Reload the model</button></div>`;
}
