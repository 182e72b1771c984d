/**
 * A look at the WebGPU adapter before anything is downloaded: is there one, and can it hold this
 * model's largest buffer? Telling the user after a 600 MB download would be too late. Only the
 * adapter's plain description and limits leave this file (no device is created here).
 */
import { describeAdapter } from '../index.ts';
import { parseClipConfig, expectedClipTensors, type ClipConfig } from '../model/config.ts';
import { ClipError } from '../errors.ts';
import { formatBytes } from './format.ts';

export interface GpuInfo {
  available: boolean;
  /** e.g. "google swiftshader". */
  description: string;
  isCpu: boolean;
  features: string[];
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  /** Why WebGPU is unavailable, with what to do. */
  error?: { code: 'gpu'; message: string };
}

let probe: Promise<GpuInfo> | undefined;

/** Probed once per page. */
export function probeWebGpu(): Promise<GpuInfo> {
  return (probe ??= probeOnce());
}

async function probeOnce(): Promise<GpuInfo> {
  const none = (message: string): GpuInfo => ({
    available: false,
    description: 'no WebGPU',
    isCpu: false,
    features: [],
    maxBufferSize: 0,
    maxStorageBufferBindingSize: 0,
    error: { code: 'gpu', message },
  });
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    return none(
      window.isSecureContext
        ? 'This browser has no WebGPU. Use a recent Chrome or Edge (113 or newer; on Linux turn on chrome://flags/#enable-unsafe-webgpu), or Safari 26 or newer.'
        : 'WebGPU needs a secure page: open this page over https or from localhost.',
    );
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    adapter = null;
  }
  if (!adapter) {
    return none(
      'WebGPU is present but gave no adapter: the GPU may be blocklisted or switched off. Check chrome://gpu, ' +
        'update the graphics driver, or turn on chrome://flags/#enable-unsafe-webgpu.',
    );
  }
  const s = describeAdapter(adapter, 'browser');
  return {
    available: true,
    description: s.description,
    isCpu: s.isCpu,
    features: s.features,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

export interface ModelNeeds {
  /** Weights bytes as f32 on the GPU. */
  totalBytes: number;
  parameters: number;
  /** The largest buffer that must be bound (the token embedding may fall back to the CPU). */
  largestBytes: number;
  largestName: string;
}

export function modelNeeds(config: ClipConfig): ModelNeeds {
  let parameters = 0,
    largestBytes = 0,
    largestName = '';
  for (const t of expectedClipTensors(config)) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    parameters += n;
    if (t.name.endsWith('token_embedding.weight')) continue;
    if (n * 4 > largestBytes) [largestBytes, largestName] = [n * 4, t.name];
  }
  const qkv = 3 * Math.max(config.vision.hiddenSize ** 2, config.text.hiddenSize ** 2) * 4; // q|k|v packed in one buffer
  if (qkv > largestBytes) [largestBytes, largestName] = [qkv, 'a packed q/k/v projection'];
  return { totalBytes: parameters * 4, parameters, largestBytes, largestName };
}

/** Throws ClipError('gpu') when the model cannot fit this adapter; does nothing without a config. */
export function checkModelFits(configJson: unknown, gpu: GpuInfo, name: string): void {
  if (!gpu.available) throw new ClipError('gpu', gpu.error!.message);
  if (configJson === null || configJson === undefined) return;
  const needs = modelNeeds(parseClipConfig(configJson));
  const limit = Math.min(gpu.maxBufferSize, gpu.maxStorageBufferBindingSize);
  if (needs.largestBytes > limit) {
    throw new ClipError(
      'gpu',
      `${name} is too large for this GPU adapter (${gpu.description}): it needs ${formatBytes(needs.largestBytes)} buffers ` +
        `(${needs.largestName}), and the adapter allows ${formatBytes(limit)}. Pick a smaller model, such as ` +
        'openai/clip-vit-base-patch32, or use a device with a larger GPU.',
    );
  }
}
