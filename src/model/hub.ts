/** Hugging Face hub URLs and the files a CLIP folder needs. Browser-safe. */
import { ClipError } from '../errors.ts';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export const CLIP_REQUIRED_FILES = ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt'] as const;
export const CLIP_OPTIONAL_FILES = ['tokenizer.json'] as const;

export interface HubFileOptions {
  revision?: string;
  endpoint?: string;
}

// huggingface_hub's validate_repo_id: "name" or "namespace/name", [\w.-], no "--"/"..", <= 96 chars.
const REPO_ID = /^(?:[\w.-]+\/)?[\w.-]+$/;

/** Returns the repo id if valid, else throws ClipError('input') saying what is wrong. */
export function validateRepoId(repoId: string): string {
  const why =
    typeof repoId !== 'string' || repoId.length === 0
      ? 'it is empty'
      : repoId.length > 96
        ? 'it is longer than 96 characters'
        : !REPO_ID.test(repoId)
          ? 'use "org/name" with letters, digits, "-", "_" and "." only (no URL, no spaces, one "/")'
          : repoId.includes('--') || repoId.includes('..')
            ? '"--" and ".." are not allowed'
            : repoId.split('/').some((p) => /^[-.]|[-.]$/.test(p))
              ? 'a part may not start or end with "-" or "."'
              : undefined;
  if (why) throw new ClipError('input', `Invalid Hugging Face repo id ${JSON.stringify(repoId)}: ${why}`);
  return repoId;
}

/** `${endpoint}/${repoId}/resolve/${revision}/${file}`, with the revision and path URL-encoded. */
export function hubFileUrl(
  repoId: string,
  file: string,
  { revision = 'main', endpoint = DEFAULT_HUB_ENDPOINT }: HubFileOptions = {},
): string {
  validateRepoId(repoId);
  const base = endpoint.replace(/\/+$/, '');
  // A revision like "refs/pr/1" is one path segment, as huggingface_hub encodes it.
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${repoId}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** URLs for every file of a CLIP folder (required and optional). */
export function clipFileUrls(repoId: string, options: HubFileOptions = {}): Record<string, string> {
  return Object.fromEntries(
    [...CLIP_REQUIRED_FILES, ...CLIP_OPTIONAL_FILES].map((f) => [f, hubFileUrl(repoId, f, options)]),
  );
}
