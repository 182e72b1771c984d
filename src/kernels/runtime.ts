/**
 * The GPU runtime every kernel, the model, the CLI, the benchmarks and the tests share.
 *
 * - `GpuContext` owns the device, compiles each pipeline once (keyed by name + constants),
 *   caches uniform buffers by content (params depend only on shapes, so the set is small) and
 *   pools scratch/staging buffers by size: after the first call, inference creates no buffers.
 * - `Pass` records one forward pass into one command encoder and submits it once.
 * - Device loss becomes a ClipError on the next use instead of silent garbage.
 */
import { ClipError } from '../errors.ts';

/**
 * Element types. The 16- and 8-bit ones are compact weight matrices only: packed little-endian in u32
 * words (WGSL has no narrower storage without extensions), unpacked by matmul's loads; `i8` comes with
 * one f32 scale per row (`Tensor.scale`).
 */
export type DType = 'f32' | 'i32' | 'u32' | 'f16' | 'bf16' | 'i8';
export const DTYPE_BYTES: Readonly<Record<DType, number>> = { f32: 4, i32: 4, u32: 4, f16: 2, bf16: 2, i8: 1 };

export class Tensor {
  constructor(
    readonly buffer: GPUBuffer,
    readonly shape: readonly number[],
    readonly dtype: DType = 'f32',
    /** Per-row dequantization scales of an `i8` matrix [rows]. */
    readonly scale: Tensor | null = null,
  ) {}
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get byteLength(): number {
    return this.size * DTYPE_BYTES[this.dtype];
  }
  /** The same buffer seen with another shape of equal size (no copy). */
  view(shape: readonly number[]): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== this.size) throw new Error(`view: [${shape}] does not match [${this.shape}]`);
    return new Tensor(this.buffer, shape, this.dtype, this.scale);
  }
}

export interface AdapterSummary {
  /** A readable name, e.g. "SwiftShader driver 5.0.0 (Vulkan)". */
  description: string;
  vendor: string;
  architecture: string;
  /** Where it came from: 'browser' | 'dawn' | 'dawn-swiftshader' | 'dawn-gles'. */
  backend: string;
  features: string[];
  /** True for CPU fallbacks (SwiftShader, llvmpipe): slow, fine for tests. */
  isCpu: boolean;
  /** Which kind of adapter, for choosing kernel versions: CPU emulators want different kernels than GPUs. */
  family: AdapterFamily;
}

export type AdapterFamily = 'llvmpipe' | 'swiftshader' | 'gpu';

export interface RuntimeStats {
  buffersCreated: number;
  bytesCreated: number;
  liveBuffers: number;
  liveBytes: number;
  /** The high-water mark of liveBytes since the context was created (pooled buffers count: they stay allocated). */
  peakLiveBytes: number;
  pipelinesCompiled: number;
  submits: number;
}

type TypedArray = Float32Array | Int32Array | Uint32Array;

const STORAGE = 0x80 | 0x4 | 0x8; // STORAGE | COPY_SRC | COPY_DST (GPUBufferUsage may be absent at import time in Node)
const UNIFORM = 0x40 | 0x8; // UNIFORM | COPY_DST
const STAGING = 0x1 | 0x8; // MAP_READ | COPY_DST
const MAP_READ = 0x1;
const MAX_UNIFORMS = 1024;
/** What `pipeline()` hands out while a dry pass records (never bound: dry passes dispatch nothing). */
const DRY_PIPELINE = {} as GPUComputePipeline;

/** Round up so every buffer is a valid copy/binding size. */
const padded = (bytes: number) => Math.max(16, Math.ceil(bytes / 16) * 16);

/**
 * Pooled buffers come in size classes, four per octave (<= 25% slack), so tensors whose shapes vary
 * from call to call (text batches run only up to their longest prompt) share a bounded set of
 * buffers instead of leaving one set per shape in the pool.
 */
export function sizeClass(bytes: number): number {
  const b = padded(bytes);
  if (b <= 256) return 256;
  const step = 2 ** (Math.floor(Math.log2(b)) - 2);
  return Math.ceil(b / step) * step;
}

export class GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  readonly stats: RuntimeStats = {
    buffersCreated: 0,
    bytesCreated: 0,
    liveBuffers: 0,
    liveBytes: 0,
    peakLiveBytes: 0,
    pipelinesCompiled: 0,
    submits: 0,
  };
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly uniforms = new Map<string, GPUBuffer>();
  private readonly freeScratch = new Map<number, GPUBuffer[]>();
  private readonly freeStaging = new Map<number, GPUBuffer[]>();
  /** Open `watchPeak` marks, each raised with the live bytes as buffers are created. */
  private readonly peakWatches = new Set<{ bytes: number }>();
  /** Kernel versions forced by the user or a benchmark (`op -> version`), over each op's per-adapter choice (versions.ts). */
  readonly kernelOverrides = new Map<string, string>();
  /**
   * Where a pass's time goes: while set, each dispatch runs in a submission of its own, timed from
   * submit to done, and its milliseconds add up here under its pipeline's name (`CLIP_WEBGPU_PROFILE=1`
   * in Node). Slower than a normal pass (a round trip per dispatch), but the same on every adapter.
   */
  profile: Map<string, { ms: number; calls: number }> | null = null;
  private lost: ClipError | null = null;
  private uncaptured: GPUError | null = null;
  private destroyed = false;

  constructor(device: GPUDevice, adapter: AdapterSummary) {
    this.device = device;
    this.adapter = adapter;
    device.lost.then((info) => {
      if (this.destroyed) return;
      this.lost = new ClipError(
        'gpu',
        `The GPU device was lost (${info.reason || 'unknown'}${info.message ? `: ${info.message.replace(/\.$/, '')}` : ''}). ` +
          'Load the model again to continue.',
      );
    });
    device.addEventListener('uncapturederror', (e) => {
      this.uncaptured ??= (e as GPUUncapturedErrorEvent).error;
    });
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** Throw the pending device-loss or validation error, if any. Called before and after GPU work. */
  check(): void {
    if (this.destroyed) throw new ClipError('disposed', 'This model was disposed; load it again to use it.');
    if (this.lost) throw this.lost;
    if (this.uncaptured) {
      const err = this.uncaptured;
      this.uncaptured = null;
      if (err.constructor?.name === 'GPUOutOfMemoryError') {
        throw new ClipError(
          'gpu',
          `Out of GPU memory (${err.message}): use smaller batches (the batchSize option) or a smaller model.`,
        );
      }
      throw new ClipError('gpu', `WebGPU error: ${err.message}`);
    }
  }

  /** Force kernel versions, e.g. `{ matmul: 'v1' }` or the string "matmul=v1,attention=v2"; '' clears. */
  setKernelVersions(spec: string | Record<string, string>): void {
    const entries =
      typeof spec === 'string'
        ? spec
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((s) => s.split('=').map((t) => t.trim()))
        : Object.entries(spec);
    if (typeof spec === 'string' && !spec.trim()) this.kernelOverrides.clear();
    for (const [op, version] of entries) {
      if (!op || !version)
        throw new ClipError('input', `Kernel versions are written op=version (e.g. matmul=v1), not "${op}".`);
      this.kernelOverrides.set(op, version);
    }
  }

  // ---- buffers -------------------------------------------------------------------------------

  private createBuffer(size: number, usage: number, label?: string): GPUBuffer {
    const buffer = this.device.createBuffer({ size, usage, label });
    this.stats.buffersCreated++;
    this.stats.bytesCreated += size;
    this.stats.liveBuffers++;
    this.stats.liveBytes += size;
    const live = this.stats.liveBytes;
    if (live > this.stats.peakLiveBytes) this.stats.peakLiveBytes = live;
    for (const w of this.peakWatches) if (live > w.bytes) w.bytes = live;
    return buffer;
  }

  /**
   * The high-water mark of live GPU buffer bytes from now on (starting at the bytes live now), e.g. the
   * peak memory of a training run; `stop` ends the watch. Buffers are only created, never grown, so a
   * mark raised at creation is the true peak of what this context holds.
   */
  watchPeak(): { readonly bytes: number; stop(): void } {
    const w = { bytes: this.stats.liveBytes };
    this.peakWatches.add(w);
    return {
      get bytes() {
        return w.bytes;
      },
      stop: () => {
        this.peakWatches.delete(w);
      },
    };
  }

  private destroyBuffer(buffer: GPUBuffer): void {
    this.stats.liveBuffers--;
    this.stats.liveBytes -= buffer.size;
    buffer.destroy();
  }

  /** A long-lived tensor (weights, caches). Free it with `release`. */
  tensor(shape: readonly number[], data?: TypedArray, dtype: DType = 'f32', label?: string): Tensor {
    this.check();
    const t = new Tensor(
      this.createBuffer(padded(shapeSize(shape) * DTYPE_BYTES[dtype]), STORAGE, label),
      shape,
      dtype,
    );
    if (data) this.write(t, data);
    return t;
  }

  /**
   * Upload a tensor and report out-of-memory as a clear error naming it (weights loading).
   */
  async tensorChecked(
    shape: readonly number[],
    data: TypedArray,
    label: string,
    dtype: DType = 'f32',
  ): Promise<Tensor> {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const t = this.tensor(shape, data, dtype, label);
    const validation = await this.device.popErrorScope();
    const oom = await this.device.popErrorScope();
    if (oom || validation) {
      this.release(t);
      const bytes = ((shapeSize(shape) * DTYPE_BYTES[dtype]) / 2 ** 20).toFixed(1);
      throw new ClipError(
        'gpu',
        oom
          ? `Out of GPU memory while uploading ${label} (${bytes} MiB): this adapter cannot hold the model.`
          : `Could not create the GPU buffer for ${label} (${bytes} MiB): ${validation!.message}`,
      );
    }
    return t;
  }

  /** Write 32-bit values; a packed (16/8-bit) tensor takes its u32 words, from element `elementOffset`. */
  write(t: Tensor, data: TypedArray, elementOffset = 0): void {
    const at = elementOffset * DTYPE_BYTES[t.dtype];
    const fits =
      DTYPE_BYTES[t.dtype] === 4
        ? data.length + elementOffset <= t.size
        : at % 4 === 0 && at + data.byteLength <= t.buffer.size;
    if (!fits) throw new Error(`write: ${data.length} words into [${t.shape}] ${t.dtype} at ${elementOffset}`);
    this.device.queue.writeBuffer(t.buffer, at, data.buffer, data.byteOffset, data.byteLength);
  }

  release(t: Tensor | undefined | null): void {
    if (!t) return;
    this.destroyBuffer(t.buffer);
    if (t.scale) this.destroyBuffer(t.scale.buffer);
  }

  private placeholderTensor: Tensor | null = null;

  /** A tiny tensor to bind where a kernel's optional input (e.g. bias) is absent. */
  placeholder(): Tensor {
    return (this.placeholderTensor ??= this.tensor([4], new Float32Array(4), 'f32', 'placeholder'));
  }

  /** Scratch tensors come from a pool keyed by byte size; a Pass returns them after its submit. */
  acquireScratch(shape: readonly number[], dtype: DType = 'f32'): Tensor {
    const size = sizeClass(shapeSize(shape) * 4);
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (size > limit) {
      // Checked here, before the GPU sees it: otherwise an opaque validation error after the submit.
      const mib = (b: number) => (b / 2 ** 20).toFixed(0);
      throw new ClipError(
        'gpu',
        `A tensor of [${shape}] needs ${mib(size)} MiB in one buffer; this adapter binds at most ` +
          `${mib(limit)} MiB: use smaller batches (the batchSize option).`,
      );
    }
    const buffer = takeFit(this.freeScratch, size) ?? this.createBuffer(size, STORAGE, 'scratch');
    return new Tensor(buffer, shape, dtype);
  }

  returnScratch(t: Tensor): void {
    pushTo(this.freeScratch, t.buffer.size, t.buffer);
  }

  private acquireStaging(size: number): GPUBuffer {
    return this.freeStaging.get(size)?.pop() ?? this.createBuffer(size, STAGING, 'staging');
  }

  private returnStaging(buffer: GPUBuffer): void {
    pushTo(this.freeStaging, buffer.size, buffer);
  }

  /**
   * A uniform buffer holding these 32-bit words, created once per distinct content.
   * `floats` marks which positions are f32 (the rest are u32).
   */
  uniform(words: readonly number[], floats: readonly number[] = []): GPUBuffer {
    const data = new ArrayBuffer(padded(words.length * 4));
    const u32 = new Uint32Array(data);
    const f32 = new Float32Array(data);
    words.forEach((w, i) => (floats.includes(i) ? (f32[i] = w) : (u32[i] = w >>> 0)));
    const key = Array.from(u32).join(',');
    let buffer = this.uniforms.get(key);
    if (buffer) {
      this.uniforms.delete(key); // most recently used last
    } else {
      buffer = this.createBuffer(data.byteLength, UNIFORM, 'params');
      this.device.queue.writeBuffer(buffer, 0, data);
      // Shapes that vary call to call (text lengths, batch sizes) would grow the cache without end:
      // drop the least recently used (a pass binds far fewer than this many distinct params).
      if (this.uniforms.size >= MAX_UNIFORMS) {
        const [oldKey, old] = this.uniforms.entries().next().value!;
        this.uniforms.delete(oldKey);
        this.destroyBuffer(old);
      }
    }
    this.uniforms.set(key, buffer);
    return buffer;
  }

  // ---- pipelines -----------------------------------------------------------------------------

  /** Compile once per (name, constants): the first forward pass pays for compilation, no later one. */
  pipeline(name: string, code: string, constants: Record<string, number> = {}): GPUComputePipeline {
    const key = `${name}|${JSON.stringify(constants)}`;
    let p = this.pipelines.get(key);
    if (!p && this.wanted) {
      // Recording a dry pass (precompile): note it, compile all of them together afterwards.
      this.wanted.set(key, { name, code, constants });
      return DRY_PIPELINE;
    }
    if (!p) {
      p = this.device.createComputePipeline(this.describe(name, code, constants));
      this.pipelines.set(key, p);
      this.stats.pipelinesCompiled++;
    }
    return p;
  }

  private describe(name: string, code: string, constants: Record<string, number>): GPUComputePipelineDescriptor {
    const module = this.device.createShaderModule({ code, label: name });
    return { label: name, layout: 'auto', compute: { module, entryPoint: 'main', constants } };
  }

  /**
   * For kernels that give each subgroup its own work item: a workgroup size that holds whole
   * subgroups of any size this adapter may pick, and how many items one workgroup covers.
   */
  subgroupGeometry(): { workgroupSize: number; itemsPerGroup: number } {
    const sgMax = this.device.adapterInfo?.subgroupMaxSize ?? 0;
    const workgroupSize = Math.max(64, sgMax);
    return { workgroupSize, itemsPerGroup: sgMax > 0 ? workgroupSize / sgMax : 1 };
  }

  private wanted: Map<string, { name: string; code: string; constants: Record<string, number> }> | null = null;

  /**
   * Compile ahead every pipeline that `record` would use, in parallel (createComputePipelineAsync),
   * and fill the buffer pool with its scratch tensors: `record` runs on a dry Pass that dispatches
   * nothing; the tensors it returns get staging buffers for their readback. Model loading calls this
   * so the first inference is not a compile cliff.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: recorders that return nothing are the common case
  async precompile(record: (pass: Pass) => readonly Tensor[] | void): Promise<number> {
    this.check();
    const wanted = (this.wanted = new Map());
    const pass = new Pass(this, true);
    try {
      // The outputs a real pass would read back: pool a staging buffer for each.
      const outputs = record(pass) ?? [];
      outputs.map((t) => this.acquireStaging(sizeClass(t.byteLength))).forEach((b) => this.returnStaging(b));
    } finally {
      this.wanted = null;
      await pass.run(); // hands the dry pass's scratch buffers to the pool
    }
    await Promise.all(
      [...wanted].map(async ([key, w]) => {
        const p = await this.device.createComputePipelineAsync(this.describe(w.name, w.code, w.constants));
        if (!this.pipelines.has(key)) {
          this.pipelines.set(key, p);
          this.stats.pipelinesCompiled++;
        }
      }),
    );
    this.check();
    return wanted.size;
  }

  // ---- passes and readback -------------------------------------------------------------------

  pass(): Pass {
    this.check();
    return new Pass(this);
  }

  /** Copy tensors into staging buffers with `encoder`, submit it, and return their contents. */
  async submitAndRead(encoder: GPUCommandEncoder, tensors: readonly Tensor[]): Promise<Float32Array[]> {
    const staging = tensors.map((t) => {
      if (DTYPE_BYTES[t.dtype] !== 4)
        throw new Error(`read: a packed ${t.dtype} tensor [${t.shape}] reads back only through matmul`);
      const s = this.acquireStaging(sizeClass(t.byteLength));
      encoder.copyBufferToBuffer(t.buffer, 0, s, 0, padded(t.byteLength));
      return s;
    });
    this.device.queue.submit([encoder.finish()]);
    this.stats.submits++;
    try {
      await Promise.all(staging.map((s) => s.mapAsync(MAP_READ)));
    } catch (e) {
      this.check();
      throw new ClipError('gpu', `Reading results from the GPU failed: ${(e as Error).message}`, { cause: e });
    }
    this.check();
    return staging.map((s, i) => {
      const out = new Float32Array(tensors[i].size);
      out.set(new Float32Array(s.getMappedRange(), 0, tensors[i].size));
      s.unmap();
      this.returnStaging(s);
      return out;
    });
  }

  /** Read one tensor (its own submission). */
  async read(t: Tensor): Promise<Float32Array> {
    this.check();
    const [out] = await this.submitAndRead(this.device.createCommandEncoder(), [t]);
    return out;
  }

  /** Free every buffer this context created (weights excepted: their owners release them). */
  destroy(): void {
    if (this.destroyed) return;
    for (const list of [...this.freeScratch.values(), ...this.freeStaging.values()])
      list.forEach((b) => this.destroyBuffer(b));
    this.uniforms.forEach((b) => this.destroyBuffer(b));
    this.release(this.placeholderTensor);
    this.freeScratch.clear();
    this.freeStaging.clear();
    this.uniforms.clear();
    this.pipelines.clear();
    this.destroyed = true;
  }
}

/**
 * One forward pass: dispatches recorded into one compute pass of one encoder, submitted once.
 *
 * Buffers: `tmp` takes scratch tensors (first from those freed earlier in this pass, then from the
 * context's pool); `free` hands one back for reuse by later dispatches of this pass, which WebGPU
 * orders after the earlier ones. `input` uploads data with queue.writeBuffer, which lands before the
 * whole pass runs, so it only takes buffers this pass has not touched. Everything returns to the
 * context's pool when the pass is submitted: after the first call, a pass creates no buffers.
 */
export class Pass {
  private readonly encoder: GPUCommandEncoder;
  private compute: GPUComputePassEncoder | null;
  private readonly taken: Tensor[] = [];
  private readonly localFree = new Map<number, GPUBuffer[]>();
  /** With ctx.profile: the dispatches, run one submission each when the pass is submitted. */
  private readonly profiled: { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; groups: readonly number[] }[] =
    [];
  private done = false;

  /** `dry`: record nothing (GpuContext.precompile): dispatches are skipped, inputs not uploaded. */
  constructor(
    readonly ctx: GpuContext,
    private readonly dry = false,
  ) {
    this.encoder = dry ? (null as unknown as GPUCommandEncoder) : ctx.device.createCommandEncoder();
    this.compute = dry ? null : this.encoder.beginComputePass();
  }

  /** A temporary tensor valid until this pass is submitted (or freed). */
  tmp(shape: readonly number[], dtype: DType = 'f32'): Tensor {
    const reused = takeFit(this.localFree, sizeClass(shapeSize(shape) * 4)); // as the context's pool does
    if (reused) return new Tensor(reused, shape, dtype);
    const t = this.ctx.acquireScratch(shape, dtype);
    this.taken.push(t);
    return t;
  }

  /** A tensor holding `data`, for the pass's inputs (pixels, token ids). */
  input(shape: readonly number[], data: Float32Array | Uint32Array | Int32Array): Tensor {
    const t = this.ctx.acquireScratch(shape, data instanceof Float32Array ? 'f32' : 'u32');
    this.taken.push(t);
    if (!this.dry) this.ctx.write(t, data);
    return t;
  }

  /** Let later dispatches of this pass reuse these tensors' buffers. */
  free(...tensors: Tensor[]): void {
    for (const t of tensors) pushTo(this.localFree, t.buffer.size, t.buffer);
  }

  /** Bind `params` at binding 0 and `tensors` at 1..n, in order, and dispatch. */
  dispatch(
    pipeline: GPUComputePipeline,
    params: GPUBuffer,
    tensors: readonly Tensor[],
    groups: readonly number[],
  ): void {
    if (this.dry) return;
    if (!this.compute) throw new Error('dispatch after submit');
    const limit = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    if (groups.some((g) => g > limit)) {
      throw new ClipError(
        'gpu',
        `A dispatch of [${groups}] workgroups exceeds this adapter's limit of ${limit} per dimension.`,
      );
    }
    if (groups.some((g) => g === 0)) return;
    const bindGroup = this.ctx.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } },
        ...tensors.map((t, i) => ({ binding: i + 1, resource: { buffer: t.buffer, size: padded(t.byteLength) } })),
      ],
    });
    if (this.ctx.profile) {
      this.profiled.push({ pipeline, bindGroup, groups });
      return;
    }
    this.compute.setPipeline(pipeline);
    this.compute.setBindGroup(0, bindGroup);
    this.compute.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
  }

  /** ctx.profile: each recorded dispatch in its own submission, in order, timed until the queue is done. */
  private async runProfiled(profile: Map<string, { ms: number; calls: number }>): Promise<void> {
    const { device } = this.ctx;
    for (const { pipeline, bindGroup, groups } of this.profiled) {
      const encoder = device.createCommandEncoder();
      const compute = encoder.beginComputePass();
      compute.setPipeline(pipeline);
      compute.setBindGroup(0, bindGroup);
      compute.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
      compute.end();
      const started = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      const entry = profile.get(pipeline.label) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - started;
      entry.calls++;
      profile.set(pipeline.label, entry);
    }
  }

  /** Submit and read `outputs` back. The pass cannot be used afterwards. */
  async run(outputs: readonly Tensor[] = []): Promise<Float32Array[]> {
    if (this.done) throw new Error('Pass submitted twice');
    this.done = true;
    if (this.dry) {
      this.taken.forEach((t) => this.ctx.returnScratch(t));
      return [];
    }
    this.compute!.end();
    this.compute = null;
    try {
      if (this.profiled.length) await this.runProfiled(this.ctx.profile!);
      return await this.ctx.submitAndRead(this.encoder, outputs);
    } finally {
      // Queue order makes reuse by a later submission safe even while this one still runs.
      this.taken.forEach((t) => this.ctx.returnScratch(t));
    }
  }
}

/**
 * Workgroup counts for `n` workgroups in a grid no dimension of which exceeds 65535;
 * kernels recover the linear index as `wg.x + wg.y * nwg.x` and skip indices >= n.
 */
export function grid(n: number): [number, number] {
  const x = Math.min(n, 65535);
  return [x, Math.ceil(n / x) || 0];
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The smallest pooled buffer of at least `size` bytes and at most 16x that (so a batch shorter than
 * an earlier one reuses its buffers, and a tiny tensor never holds a huge one).
 */
function takeFit(pool: Map<number, GPUBuffer[]>, size: number): GPUBuffer | undefined {
  let best = Infinity;
  for (const [s, list] of pool) if (s >= size && s <= size * 16 && s < best && list.length) best = s;
  return best === Infinity ? undefined : pool.get(best)!.pop();
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
