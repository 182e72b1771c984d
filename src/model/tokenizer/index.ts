export { ClipTokenizer, bytesToUnicode, SOT_TOKEN, EOT_TOKEN, CONTEXT_LENGTH, CLIP_MERGE_COUNT } from './bpe.ts';
export type { TokenizeOptions, TokenizeResult } from './bpe.ts';
export { cleanText, basicClean, whitespaceClean, htmlUnescape } from './clean.ts';
export { tokenizerFromSources, gunzipToText, fetchTokenizer, BPE_GZ_NAME } from './load.ts';
export type { TokenizerSources } from './load.ts';
// Node-only loaders (fs, zlib) are deliberately not re-exported: src/node/tokenizer-files.ts.
