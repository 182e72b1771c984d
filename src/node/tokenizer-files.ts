/** Node-only tokenizer loading from disk (fs + zlib). The core stays browser-safe. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ClipError, isClipError } from '../errors.ts';
import { ClipTokenizer } from '../model/tokenizer/bpe.ts';
import { BPE_GZ_NAME } from '../model/tokenizer/load.ts';

const LOOKED_FOR = `vocab.json + merges.txt, tokenizer.json, or ${BPE_GZ_NAME}`;

/** Loads from a model folder: vocab.json + merges.txt, else tokenizer.json, else the OpenAI .gz. */
export function loadTokenizerFromDir(dir: string): ClipTokenizer {
  if (!existsSync(dir)) throw new ClipError('not-found', `Tokenizer folder ${dir} does not exist.`);
  if (!statSync(dir).isDirectory()) return loadTokenizerFromFile(dir);
  const file = (name: string) => path.join(dir, name);
  const has = (name: string) => existsSync(file(name));
  if (has('vocab.json') && has('merges.txt')) return loadVocabMerges(file('vocab.json'), file('merges.txt'));
  if (has('tokenizer.json')) return loadTokenizerFromFile(file('tokenizer.json'));
  if (has(BPE_GZ_NAME)) return loadTokenizerFromFile(file(BPE_GZ_NAME));
  const half = has('vocab.json')
    ? ' (vocab.json is there but merges.txt is missing)'
    : has('merges.txt')
      ? ' (merges.txt is there but vocab.json is missing)'
      : '';
  throw new ClipError('tokenizer', `No tokenizer files in ${dir}${half}: looked for ${LOOKED_FOR}.`);
}

/**
 * Loads from one file: *.gz (OpenAI BPE), *.txt (its decompressed text), tokenizer.json, or
 * vocab.json / merges.txt (with the other one beside it). A folder is passed to loadTokenizerFromDir.
 */
export function loadTokenizerFromFile(file: string): ClipTokenizer {
  if (!existsSync(file)) throw new ClipError('not-found', `Tokenizer file ${file} does not exist.`);
  if (statSync(file).isDirectory()) return loadTokenizerFromDir(file);
  const base = path.basename(file);
  if (base === 'vocab.json' || base === 'merges.txt') {
    const dir = path.dirname(file);
    const other = path.join(dir, base === 'vocab.json' ? 'merges.txt' : 'vocab.json');
    if (!existsSync(other))
      throw new ClipError('tokenizer', `${file} needs ${path.basename(other)} beside it, which is missing in ${dir}.`);
    return loadVocabMerges(path.join(dir, 'vocab.json'), path.join(dir, 'merges.txt'));
  }
  if (file.endsWith('.gz')) return withPath(file, () => ClipTokenizer.fromOpenAIBpe(gunzipFile(file)));
  if (file.endsWith('.json')) return withPath(file, () => ClipTokenizer.fromTokenizerJson(readFileSync(file, 'utf8')));
  if (file.endsWith('.txt')) return withPath(file, () => ClipTokenizer.fromOpenAIBpe(readFileSync(file, 'utf8')));
  throw new ClipError(
    'tokenizer',
    `Don't know how to read tokenizer file ${file}: expected a folder with ${LOOKED_FOR}, a .gz, .txt or tokenizer.json file.`,
  );
}

function loadVocabMerges(vocabPath: string, mergesPath: string): ClipTokenizer {
  return withPath(`${vocabPath} + merges.txt`, () =>
    ClipTokenizer.fromVocabMerges(readFileSync(vocabPath, 'utf8'), readFileSync(mergesPath, 'utf8')),
  );
}

function gunzipFile(file: string): string {
  try {
    return gunzipSync(readFileSync(file)).toString('utf8');
  } catch (e) {
    throw new ClipError('tokenizer', `${file} is not a valid gzip file: ${(e as Error).message}`, { cause: e });
  }
}

/** Prefixes tokenizer errors from the core with the file they came from. */
function withPath<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (isClipError(e) && e.code === 'tokenizer' && !e.message.startsWith(where)) {
      throw new ClipError('tokenizer', `${where}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}
