/**
 * A WebGPU device in Node through Dawn (npm `webgpu`).
 *
 * Order: the system's own adapter (a real GPU); without one, Mesa llvmpipe through Dawn's GLES
 * backend (compatibility mode: no timestamps, 128 MiB bindings, but 15x faster than SwiftShader per
 * forward pass of the tiny model here); then SwiftShader's Vulkan ICD shipped in Debian's chromium
 * package (full features: timestamps, subgroups, 1 GiB bindings).
 * `CLIP_WEBGPU_ADAPTER=auto|system|swiftshader|gles` forces a choice; `CLIP_KERNELS=matmul=v1,...` forces kernel versions.
 * `announce` prints the adapter on stderr (the CLI does so at a terminal, or with --verbose).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipError } from '../errors.ts';
import { contextFromAdapter } from '../kernels/device.ts';
import type { GpuContext } from '../kernels/runtime.ts';

export type AdapterChoice = 'auto' | 'system' | 'swiftshader' | 'gles';

const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
];

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

let dawn: DawnModule | null = null;
/**
 * Dawn instances must outlive their adapters and devices: a collected instance tears down the
 * backend under a live device (crashes inside the driver's threads). Keep every one we create.
 */
const instances: GPU[] = [];

function instance(d: DawnModule, options: string[]): GPU {
  const gpu = d.create(options);
  instances.push(gpu);
  return gpu;
}

async function loadDawn(): Promise<DawnModule> {
  if (dawn) return dawn;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    throw new ClipError(
      'gpu',
      `Could not load the npm "webgpu" package (Dawn for Node): ${(e as Error).message}. Run npm install.`,
      { cause: e },
    );
  }
  // Kernels use GPUBufferUsage & co.; Dawn provides them as globals.
  for (const [k, v] of Object.entries(dawn.globals)) (globalThis as Record<string, unknown>)[k] ??= v;
  // The Vulkan loader complains loudly without a runtime dir; give it a private one, gone at exit
  // (child processes inherit it and leave it to this one).
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = mkdtempSync(join(tmpdir(), 'clip-webgpu-xdg-'));
    process.env.XDG_RUNTIME_DIR = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return dawn;
}

/** Linux without a GPU device node has no hardware adapter: skip the probe (and Dawn's warnings). */
function mayHaveGpu(): boolean {
  if (process.platform !== 'linux') return true;
  return existsSync('/dev/dri') || existsSync('/dev/nvidia0') || existsSync('/dev/dxg') || existsSync('/dev/kfd');
}

async function trySystem(d: DawnModule): Promise<GPUAdapter | null> {
  if (!mayHaveGpu()) return null;
  return instance(d, []).requestAdapter({ powerPreference: 'high-performance' });
}

async function trySwiftShader(d: DawnModule): Promise<GPUAdapter | null> {
  const icd = SWIFTSHADER_ICDS.find((p) => existsSync(p));
  if (!icd) return null;
  process.env.VK_ICD_FILENAMES = icd; // read by the Vulkan loader when Dawn creates its instance
  return instance(d, ['backend=vulkan']).requestAdapter();
}

async function tryGles(d: DawnModule): Promise<GPUAdapter | null> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  return instance(d, ['backend=opengles']).requestAdapter({
    featureLevel: 'compatibility',
  } as GPURequestAdapterOptions);
}

export interface NodeGpuOptions {
  adapter?: AdapterChoice;
  /** Print "clip-webgpu: adapter ..." on stderr (default true). */
  announce?: boolean;
}

export async function requestNodeContext(options: NodeGpuOptions = {}): Promise<GpuContext> {
  const choice = (options.adapter ??
    (process.env.CLIP_WEBGPU_ADAPTER as AdapterChoice | undefined) ??
    'auto') as AdapterChoice;
  if (!['auto', 'system', 'swiftshader', 'gles'].includes(choice)) {
    throw new ClipError('input', `Unknown adapter "${choice}": use auto, system, swiftshader or gles.`);
  }
  const d = await loadDawn();
  const attempts: [string, (d: DawnModule) => Promise<GPUAdapter | null>][] =
    choice === 'auto'
      ? [
          ['dawn', trySystem],
          ['dawn-gles', tryGles],
          ['dawn-swiftshader', trySwiftShader],
        ]
      : [
          [
            { system: 'dawn', swiftshader: 'dawn-swiftshader', gles: 'dawn-gles' }[choice],
            { system: trySystem, swiftshader: trySwiftShader, gles: tryGles }[choice],
          ],
        ];
  for (const [backend, attempt] of attempts) {
    const adapter = await attempt(d).catch(() => null);
    if (!adapter) continue;
    const ctx = await contextFromAdapter(adapter, backend);
    if (process.env.CLIP_KERNELS) ctx.setKernelVersions(process.env.CLIP_KERNELS); // e.g. matmul=v1 (benchmarks)
    if (process.env.CLIP_WEBGPU_PROFILE) profileUntilExit(ctx);
    if (options.announce ?? true) {
      process.stderr.write(
        `clip-webgpu: adapter ${ctx.adapter.description} [${backend}${ctx.adapter.isCpu ? ', CPU' : ''}]\n`,
      );
    }
    return ctx;
  }
  throw new ClipError(
    'gpu',
    choice === 'auto'
      ? 'No WebGPU adapter found. Install a GPU driver with Vulkan support, or on Debian/Ubuntu `apt-get install chromium libvulkan1` ' +
          '(its SwiftShader runs WebGPU on the CPU), or Mesa for the GLES fallback.'
      : `The "${choice}" WebGPU adapter is not available on this machine: use --adapter auto (CLIP_WEBGPU_ADAPTER=auto), which falls back to a CPU adapter.`,
  );
}

/**
 * `CLIP_WEBGPU_PROFILE=1`: time every dispatch on its own (GpuContext.profile) and print the table,
 * slowest kernel first, on stderr when the process exits: where a command's GPU time goes.
 */
function profileUntilExit(ctx: GpuContext): void {
  const profile = new Map<string, { ms: number; calls: number }>();
  ctx.profile = profile;
  process.on('exit', () => {
    const rows = [...profile].sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((s, [, r]) => s + r.ms, 0);
    const lines = rows.map(
      ([name, r]) =>
        `${r.ms.toFixed(1).padStart(10)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}% ${String(r.calls).padStart(6)} calls  ${name}`,
    );
    process.stderr.write(
      `clip-webgpu profile (${ctx.adapter.description}), ${total.toFixed(1)} ms in all:\n${lines.join('\n')}\n`,
    );
  });
}
