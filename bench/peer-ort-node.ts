/**
 * onnxruntime-web in Node, for the side-by-side comparison in one process.
 *
 * WASM provider: the package's Node build (`onnxruntime-web`), as is.
 * WebGPU provider: the package's Node build has no WebGPU backend, so we load its browser build
 * (`onnxruntime-web/webgpu`) and give it Dawn — the same npm `webgpu` our engine runs on, with the
 * same backend as our context — as `navigator.gpu`. Three shims make that work, none of them
 * touching what ORT computes:
 *  - GLES (compat) adapters are only handed out for `featureLevel: 'compatibility'`, which ORT
 *    does not ask for: requestAdapter gets it added;
 *  - ORT's WebAssembly memory is a SharedArrayBuffer, which Dawn's queue.writeBuffer rejects
 *    ("Invalid argument"): such views are copied into a plain buffer first;
 *  - while nothing else keeps Node's event loop alive, Node blocks in DrainTasks until V8 has
 *    finished optimizing ORT's 20 MB wasm module in the background (40-90 s here), stalling the
 *    Dawn callbacks ORT awaits: a timer keeps the loop alive while the peer runs.
 * Names of the modules are computed so the CLI bundle leaves them external (they are dev dependencies).
 */
import type { OrtModule } from './peer-ort.ts';

/** The CLI's `bench --peer` imports this module alone (dynamically): it needs both. */
export { runPeer } from './peer-ort.ts';

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

const ORT_NODE = ['onnxruntime-web'].join('');
const ORT_WEBGPU = ['onnxruntime-web', 'webgpu'].join('/');
const DAWN = ['web', 'gpu'].join('');

/** Dawn instances must outlive their devices (see src/node/gpu.ts): keep them. */
const instances: GPU[] = [];
let patchedWriteBuffer = false;

function patchWriteBuffer(dawn: DawnModule): void {
  if (patchedWriteBuffer) return;
  const Queue = dawn.globals.GPUQueue as { prototype: GPUQueue } | undefined;
  if (!Queue) return;
  const original = Queue.prototype.writeBuffer;
  Queue.prototype.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    offset: number,
    data: BufferSource | SharedArrayBuffer,
    dataOffset?: number,
    size?: number,
  ) {
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const bpe = (data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      const count = size ?? data.byteLength / bpe - (dataOffset ?? 0);
      const copy = new Uint8Array(count * bpe);
      copy.set(new Uint8Array(data.buffer, data.byteOffset + (dataOffset ?? 0) * bpe, count * bpe));
      return original.call(this, buffer, offset, copy, 0, count * bpe);
    }
    return original.call(this, buffer, offset, data as BufferSource, dataOffset, size);
  } as GPUQueue['writeBuffer'];
  patchedWriteBuffer = true;
}

/** The Dawn GPU object for the backend our context uses ('dawn', 'dawn-gles', 'dawn-swiftshader'). */
async function dawnGpu(backend: string): Promise<GPU> {
  const dawn = (await import(/* @vite-ignore */ DAWN)) as unknown as DawnModule;
  for (const [k, v] of Object.entries(dawn.globals)) (globalThis as Record<string, unknown>)[k] ??= v;
  patchWriteBuffer(dawn);
  let gpu: GPU;
  if (backend === 'dawn-gles') {
    process.env.EGL_PLATFORM ??= 'surfaceless';
    gpu = dawn.create(['backend=opengles']);
    const requestAdapter = gpu.requestAdapter.bind(gpu);
    gpu.requestAdapter = (o: GPURequestAdapterOptions = {}) =>
      requestAdapter({ ...o, featureLevel: 'compatibility' } as GPURequestAdapterOptions);
  } else if (backend === 'dawn-swiftshader') {
    gpu = dawn.create(['backend=vulkan']); // VK_ICD_FILENAMES already points at SwiftShader (src/node/gpu.ts)
  } else {
    gpu = dawn.create([]);
  }
  instances.push(gpu);
  return gpu;
}

export interface NodePeer {
  ort: OrtModule;
  /** What ran: provider, module, adapter. */
  description: string;
  /** Stop the keep-alive timer and restore `navigator`. */
  close(): void;
}

/** onnxruntime-web for `provider` in this Node process; for WebGPU, on the same Dawn backend as `backend`. */
export async function loadOrtNode(
  provider: 'webgpu' | 'wasm',
  backend: string,
  options: { threads?: number } = {},
): Promise<NodePeer> {
  const keepAlive = setInterval(() => {}, 2);
  const g = globalThis as Record<string, unknown>;
  const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  try {
    if (provider === 'webgpu') {
      const gpu = await dawnGpu(backend);
      const nav = {
        ...(typeof g.navigator === 'object' ? (g.navigator as object) : {}),
        gpu,
        userAgent: `Node.js/${process.versions.node}`,
      };
      Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
    }
    const ort = (await import(/* @vite-ignore */ provider === 'webgpu' ? ORT_WEBGPU : ORT_NODE)) as OrtModule;
    ort.env.wasm.numThreads = options.threads ?? 1;
    ort.env.logLevel = 'error';
    const module =
      provider === 'webgpu' ? 'onnxruntime-web/webgpu (browser build) on Dawn' : 'onnxruntime-web (Node build)';
    return {
      ort,
      description: `onnxruntime-web ${ort.env.versions?.web ?? '?'} ${provider} (${module}, ${ort.env.wasm.numThreads} wasm thread${ort.env.wasm.numThreads === 1 ? '' : 's'})`,
      close() {
        clearInterval(keepAlive);
        if (provider === 'webgpu') {
          if (hadNavigator) Object.defineProperty(globalThis, 'navigator', hadNavigator);
          else delete g.navigator;
        }
      },
    };
  } catch (e) {
    clearInterval(keepAlive);
    throw e;
  }
}
