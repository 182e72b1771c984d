/**
 * Is this really the model file it claims to be? Checks run on what a server sent before anything is
 * kept (the browser cache) or used: a dev server answers a missing file with its HTML page and 200,
 * and such a page must never become `config.json`. Browser-safe.
 */
import { ClipError, type ClipErrorCode } from '../errors.ts';
import { SafetensorsFile } from './safetensors/reader.ts';
import { BlobSource } from './sources.ts';

/** An HTML page where a data file was expected (a server's fallback or error page). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text.slice(0, 512));
}

function htmlInstead(name: string, code: ClipErrorCode): ClipError {
  return new ClipError(
    code,
    `${name}: the server answered with an HTML page instead of the file ` +
      '(a dev server does this for a file it does not have): check that the folder holds it.',
  );
}

/** Parses a JSON file, saying whether it was HTML or broken JSON. */
export function parseJsonFile(text: string, name: string, code: ClipErrorCode): unknown {
  if (looksLikeHtml(text)) throw htmlInstead(name, code);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ClipError(code, `${name} is not valid JSON (${(e as Error).message}).`);
  }
}

/** A JSON file whose top level must be an object (config.json, vocab.json, tokenizer.json). */
export function parseJsonObject(text: string, name: string, code: ClipErrorCode): Record<string, unknown> {
  const json = parseJsonFile(text, name, code);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ClipError(code, `${name} is not a JSON object.`);
  }
  return json as Record<string, unknown>;
}

/**
 * Throws a ClipError when `blob` cannot be the file `name` (by its file name): JSON that does not
 * parse, a merges.txt that is an HTML page, a safetensors file whose header is broken or whose
 * tensors do not fit in it. Other files pass.
 */
export async function checkModelFile(name: string, blob: Blob, where = name): Promise<void> {
  const file = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  if (file.endsWith('.safetensors')) {
    await SafetensorsFile.open(new BlobSource(blob, where));
    return;
  }
  const code: ClipErrorCode = file === 'config.json' ? 'config' : 'tokenizer';
  if (file.endsWith('.json')) {
    parseJsonObject(await blob.text(), where, code);
  } else if (file === 'merges.txt') {
    if (looksLikeHtml(await blob.slice(0, 512).text())) throw htmlInstead(where, 'tokenizer');
  }
}
