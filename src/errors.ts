/**
 * Every failure a user can cause (bad file, bad input, missing GPU) is a ClipError:
 * one message that names the problem and what to do. `code` lets UIs and tests branch
 * without parsing the message.
 */
export type ClipErrorCode =
  | 'safetensors' // malformed / truncated file, bad header, unknown dtype
  | 'weights' // missing or misshapen tensor, config/tensor mismatch
  | 'config' // bad or missing config.json
  | 'tokenizer' // missing or bad vocab/merges
  | 'image' // not an image, undecodable
  | 'input' // bad API/CLI input: empty label list, over-long prompt, ...
  | 'not-found' // a path or URL that does not exist
  | 'network' // a download failed
  | 'gpu' // no adapter, device lost, out of memory
  | 'aborted' // the caller's AbortSignal cancelled the run (the model stays usable)
  | 'disposed'; // the model was used after dispose()

export class ClipError extends Error {
  readonly code: ClipErrorCode;
  constructor(code: ClipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClipError';
    this.code = code;
  }
}

export function isClipError(e: unknown): e is ClipError {
  return e instanceof ClipError;
}

/**
 * Throws ClipError('aborted') when `signal` has fired. Long runs (probes, evaluations, benchmarks)
 * call it between GPU passes: a pass in flight finishes, so the model is left usable.
 */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (!signal?.aborted) return;
  const reason =
    signal.reason instanceof Error && signal.reason.name !== 'AbortError' ? `: ${signal.reason.message}` : '';
  throw new ClipError('aborted', `The ${what} was cancelled${reason}.`, { cause: signal.reason });
}
