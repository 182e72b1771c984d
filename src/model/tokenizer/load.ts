/**
 * Browser-safe tokenizer loading from fetched data (also works in Node 18+: fetch, Blob,
 * DecompressionStream are globals there). Node file loading is in src/node/tokenizer-files.ts.
 */
import { ClipError } from '../../errors.ts';
import { ClipTokenizer } from './bpe.ts';

/** Any one complete set is enough; they are tried in this order. */
export interface TokenizerSources {
  /** HF vocab.json (text or parsed) — needs mergesTxt too. */
  vocabJson?: string | Record<string, number>;
  mergesTxt?: string;
  /** HF fast-tokenizer tokenizer.json (text or parsed). */
  tokenizerJson?: string | object;
  /** OpenAI's bpe_simple_vocab_16e6.txt.gz, compressed bytes... */
  bpeGz?: Uint8Array | ArrayBuffer;
  /** ...or its decompressed text. */
  bpeTxt?: string;
}

export const BPE_GZ_NAME = 'bpe_simple_vocab_16e6.txt.gz';

export async function tokenizerFromSources(src: TokenizerSources): Promise<ClipTokenizer> {
  if (src.vocabJson !== undefined && src.mergesTxt !== undefined)
    return ClipTokenizer.fromVocabMerges(src.vocabJson, src.mergesTxt);
  if (src.tokenizerJson !== undefined) return ClipTokenizer.fromTokenizerJson(src.tokenizerJson);
  if (src.bpeTxt !== undefined) return ClipTokenizer.fromOpenAIBpe(src.bpeTxt);
  if (src.bpeGz !== undefined) return ClipTokenizer.fromOpenAIBpe(await gunzipToText(src.bpeGz));
  throw new ClipError(
    'tokenizer',
    'No tokenizer data given: need vocab.json + merges.txt, tokenizer.json, or ' + BPE_GZ_NAME + '.',
  );
}

/** gzip bytes -> UTF-8 text, with the platform's DecompressionStream (no zlib dependency). */
export async function gunzipToText(data: Uint8Array | ArrayBuffer, name = BPE_GZ_NAME): Promise<string> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new ClipError('tokenizer', `${name} is not gzip data (it does not start with the gzip magic bytes 1f 8b).`);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return await new Response(stream).text();
  } catch (e) {
    throw new ClipError('tokenizer', `${name} could not be decompressed: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Fetches a tokenizer from a folder URL (e.g. a Hugging Face `resolve/main/` URL), trying
 * vocab.json + merges.txt, then tokenizer.json, then the OpenAI .gz.
 */
export async function fetchTokenizer(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<ClipTokenizer> {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  const get = async (name: string): Promise<Response | undefined> => {
    let res: Response;
    try {
      res = await fetchImpl(base + name);
    } catch (e) {
      throw new ClipError('network', `Could not fetch ${base + name}: ${(e as Error).message}`, { cause: e });
    }
    // A server's HTML fallback page for a file it does not have is not that file.
    const html = /^text\/html/i.test(res.headers.get('content-type') ?? '');
    if (!res.ok || html) {
      void res.body?.cancel();
      return undefined;
    }
    return res;
  };
  const vocab = await get('vocab.json');
  const merges = vocab && (await get('merges.txt'));
  if (vocab && merges) return tokenizerFromSources({ vocabJson: await vocab.text(), mergesTxt: await merges.text() });
  const tj = await get('tokenizer.json');
  if (tj) return tokenizerFromSources({ tokenizerJson: await tj.text() });
  const gz = await get(BPE_GZ_NAME);
  if (gz) return tokenizerFromSources({ bpeGz: new Uint8Array(await gz.arrayBuffer()) });
  throw new ClipError(
    'tokenizer',
    `No tokenizer at ${base}: looked for vocab.json + merges.txt, tokenizer.json and ${BPE_GZ_NAME}.`,
  );
}
