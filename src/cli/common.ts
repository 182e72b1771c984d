/** What the GPU commands share: the streams, the --adapter/--verbose options, loading a model. */
import { open } from 'node:fs/promises';
import {
  ClipModel,
  filesFromPath,
  isClipError,
  nodePlatform,
  requestNodeContext,
  setPlatform,
  shippedModelPath,
} from '../node/index.ts';
import type { AdapterChoice, AdapterSummary, ClipTokenizer, LoadProgress, ModelFiles } from '../node/index.ts';
import { UsageError, type OptionSpec, type ParsedArgs } from './args.ts';

export interface CliStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

export const ADAPTERS = ['auto', 'system', 'swiftshader', 'gles'] as const;

const MODEL_HELP =
  'A Hugging Face CLIP folder (config.json, model.safetensors, vocab.json, merges.txt) or a .safetensors ' +
  'file in one (config and tokenizer come from its folder), or an http(s) URL of such a folder.';

/** --model of the commands that need one named (train, convert, bench). */
export const MODEL_OPTION: Record<string, OptionSpec> = {
  model: { type: 'string', value: 'PATH', help: MODEL_HELP },
};

/** --model of the commands that default to the shipped model (classify, embed, detect, gradcam, bias, eval, info, tokenize). */
export const DEFAULT_MODEL_OPTION: Record<string, OptionSpec> = {
  model: {
    type: 'string',
    value: 'PATH',
    help: `${MODEL_HELP} Default: the shipped model, trained on the procedural world (weights/shapes-clip in this package).`,
  },
};

/** --model, else the shipped model's folder. */
export function modelPath(args: ParsedArgs): string {
  return args.str('model') ?? shippedModelPath();
}

export const GPU_OPTIONS: Record<string, OptionSpec> = {
  adapter: {
    type: 'string',
    value: 'NAME',
    choices: ADAPTERS,
    help: 'WebGPU adapter (default: $CLIP_WEBGPU_ADAPTER, else auto: the system GPU, then GLES (llvmpipe), then SwiftShader).',
  },
  verbose: { type: 'boolean', help: 'Report the adapter and the model loading on stderr.' },
};

export const TRUNCATE_OPTION: Record<string, OptionSpec> = {
  truncate: {
    type: 'boolean',
    help: 'Cut prompts longer than the context (77 tokens) as clip.tokenize(truncate=True) does, instead of failing.',
  },
};

/** --refine [--refine-steps N]: maps refined by the image's pixels with PAMR (detect, segment, eval). */
export const REFINE_OPTION: Record<string, OptionSpec> = {
  refine: {
    type: 'boolean',
    help: "Refine the maps by the image's pixels (PAMR: 10 steps, relevance segmentation 40; SCLIP's post-processing): regions follow edges, not the patch grid.",
  },
  'refine-steps': {
    type: 'string',
    value: 'N',
    help: 'PAMR steps (implies --refine; default 10; the meaning tests use 40, chosen on a validation world).',
  },
};

/**
 * The `refine` option REFINE_OPTION asks for: false, PAMR's options with --refine-steps, or true with
 * --refine alone (the library's default steps: 10, relevance segmentation's 40).
 */
export function refineArg(args: ParsedArgs): boolean | { iterations: number } {
  const steps = args.int('refine-steps', -1);
  if (args.str('refine-steps') !== undefined && (steps < 1 || steps > 1000))
    throw new UsageError(`--refine-steps must be an integer in 1..1000, got ${steps}`, args.command);
  if (steps > 0) return { iterations: steps };
  return args.flag('refine');
}

/** PAMR's options from `refineArg`, when asked for. */
export type RefineArg = ReturnType<typeof refineArg>;

/**
 * An eval task's runs: each method as is, then, with --refine and where `refinable`, with its maps
 * refined by the image (`refine` is the options to pass on). `runName` labels the rows.
 */
export function refineRuns<M>(
  methods: readonly M[],
  refine: RefineArg,
  refinable: (method: M) => boolean = () => true,
): { method: M; refine: RefineArg }[] {
  return methods.flatMap((method) => [
    { method, refine: false as const },
    ...(refine && refinable(method) ? [{ method, refine }] : []),
  ]);
}

/** A run's row name in a report: "naclip", or "naclip + PAMR" when refined. */
export const runName = (method: string, refine: unknown): string => (refine ? `${method} + PAMR` : method);

export const JSON_OPTION: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'Print one JSON document on stdout.' },
};

type GpuContext = Awaited<ReturnType<typeof requestNodeContext>>;

export function adapterLine(a: AdapterSummary): string {
  return `${a.description} [${a.backend}${a.isCpu ? ', CPU emulation: slow' : ''}]`;
}

/** The WebGPU context for --adapter; the caller destroys it. */
export async function openGpu(args: ParsedArgs, io: CliIo): Promise<GpuContext> {
  const ctx = await requestNodeContext({ adapter: args.str('adapter') as AdapterChoice | undefined, announce: false });
  // Once, at a terminal (or with --verbose): a script piping stderr gets only what went wrong.
  // At a terminal the loading progress line is showing: clear it, so the announcement gets a line of its own.
  const clear = io.stderr.isTTY ? '\r\x1b[K' : '';
  if (args.flag('verbose') || io.stderr.isTTY)
    io.stderr.write(`${clear}clip-webgpu: adapter ${adapterLine(ctx.adapter)}\n`);
  return ctx;
}

export function closeGpu(ctx: GpuContext): void {
  ctx.destroy();
  ctx.device.destroy();
}

export interface ModelChecks {
  /** Runs on the tokenizer before the GPU starts (e.g. tokenize the prompts: an over-long one fails early). */
  tokenizer?: (tokenizer: ClipTokenizer, config: unknown) => void;
  /** Image files to sniff before the GPU starts. */
  images?: readonly string[];
}

/**
 * Loads --model (by default the shipped model), runs `fn`, frees everything. The GPU starts as late as possible: after the path,
 * the safetensors header, config.json, the tokenizer and `checks`, so most bad inputs fail fast and
 * before Dawn prints anything.
 */
export async function withModel<T>(
  args: ParsedArgs,
  io: CliIo,
  fn: (model: ClipModel) => Promise<T>,
  checks: ModelChecks = {},
): Promise<T> {
  const path = modelPath(args);
  let source: string | ModelFiles = path;
  if (!/^https?:\/\//i.test(path)) {
    const files = filesFromPath(path);
    const loadTokenizer = files.tokenizer;
    source = {
      ...files,
      tokenizer: async () => {
        const tokenizer = await loadTokenizer();
        checks.tokenizer?.(tokenizer, files.config);
        return tokenizer;
      },
    };
  }
  // ClipModel.load asks the platform for a GPU once the files check out: give it ours.
  let created: GpuContext | null = null;
  setPlatform({
    ...nodePlatform,
    requestContext: async () => {
      for (const image of checks.images ?? []) await sniffImage(image);
      created = await openGpu(args, io);
      return created;
    },
  });
  let model: ClipModel;
  const started = Date.now();
  const progress = loadProgress(io);
  try {
    model = await ClipModel.load(source, { onProgress: progress.update });
  } catch (e) {
    (created as GpuContext | null)?.device.destroy(); // load() releases the context, not the device
    throw e;
  } finally {
    progress.done();
    setPlatform(nodePlatform);
  }
  try {
    if (args.flag('verbose')) {
      io.stderr.write(
        `clip-webgpu: loaded ${model.name} (${model.weightNames().length} tensors) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
    return await fn(model);
  } finally {
    model.dispose(); // the model owns the context: this destroys the device too
  }
}

const IMAGE_SIGNATURES = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
];

/**
 * Fails now, with the decoder's own message, on a missing file or one that is not a PNG/JPEG.
 * Only the first bytes are read; a file that looks right is decoded later, batch by batch.
 */
async function sniffImage(path: string): Promise<void> {
  let head = new Uint8Array(0);
  try {
    const fh = await open(path, 'r');
    try {
      head = new Uint8Array(8);
      const { bytesRead } = await fh.read(head, 0, 8, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    // unreadable: the decoder below says why
  }
  if (IMAGE_SIGNATURES.some((sig) => sig.every((b, i) => head[i] === b))) return;
  await nodePlatform.decodeImage(path); // throws ClipError('not-found' | 'image') naming the file
}

/** On a terminal: one rewritten line while the weights upload, erased when done. */
function loadProgress(io: CliIo): { update: (p: LoadProgress) => void; done: () => void } {
  if (!io.stderr.isTTY) return { update: () => {}, done: () => {} };
  let shown = false,
    last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (p.phase === 'ready' || now - last < 100) return;
      last = now;
      const pct = p.total ? ` ${Math.floor((100 * p.loaded) / p.total)}%` : '';
      const text = `clip-webgpu: ${p.phase === 'weights' ? `loading weights${pct}` : p.message.toLowerCase()}`;
      io.stderr.write(`\r${text.slice(0, Math.max(20, (io.stderr.columns ?? 80) - 1))}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

/** text_config(_dict).max_position_embeddings of a raw config.json, else CLIP's 77. */
export function contextLength(config: unknown): number {
  const c = (config ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const n = c.text_config_dict?.max_position_embeddings ?? c.text_config?.max_position_embeddings;
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 77;
}

/** clip.tokenize, with the over-long prompt error pointing at --truncate. */
export function tokenizePrompts(
  tokenizer: ClipTokenizer,
  prompts: readonly string[],
  config: unknown,
  truncate: boolean,
) {
  try {
    return tokenizer.tokenize(prompts, contextLength(config), { truncate });
  } catch (e) {
    if (isClipError(e)) e.message = e.message.replace(/tokenize with \{ truncate: true \}/, 'pass --truncate');
    throw e;
  }
}

/** A tokenizer check that tokenizes `prompts` as the model will (throws on an over-long one without --truncate). */
export function promptCheck(prompts: readonly string[], truncate: boolean): ModelChecks['tokenizer'] {
  return (tokenizer, config) => {
    if (prompts.length) tokenizePrompts(tokenizer, prompts, config, truncate);
  };
}

/** At least one value for a repeated option. */
export function needList(args: ParsedArgs, name: string, what: string): string[] {
  const v = args.list(name);
  if (v.length === 0) throw new UsageError(`${args.command} needs at least one --${name} ${what}`, args.command);
  return v;
}
