import { ClipError } from '../../../errors.ts';

/** What an element shows and sends as `clip-error`: a ClipError's code (or "unknown") and its message. */
export interface ElementError {
  code: string;
  message: string;
}

/** The `error` property's value for a thrown error. */
export function errorDetail(e: unknown): ElementError {
  return e instanceof ClipError ? { code: e.code, message: e.message } : { code: 'unknown', message: String((e as Error)?.message ?? e) };
}
