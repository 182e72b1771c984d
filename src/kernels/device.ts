/**
 * Turning an adapter into the device the engine wants: the adapter's full buffer limits (CLIP's
 * token embedding alone is 100 MB) and the optional features the kernels can use.
 */
import { ClipError } from '../errors.ts';
import { GpuContext, type AdapterSummary } from './runtime.ts';

const OPTIONAL_FEATURES: GPUFeatureName[] = ['timestamp-query', 'shader-f16', 'subgroups' as GPUFeatureName];

export async function contextFromAdapter(adapter: GPUAdapter, backend: string): Promise<GpuContext> {
  const limits = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
    maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
  };
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  } catch (e) {
    throw new ClipError('gpu', `The WebGPU adapter refused to create a device: ${(e as Error).message}`, { cause: e });
  }
  return new GpuContext(device, summarize(adapter, backend));
}

export function summarize(adapter: GPUAdapter, backend: string): AdapterSummary {
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const description =
    info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
  const text = `${description} ${info.vendor} ${info.architecture} ${info.device}`.toLowerCase();
  return {
    description,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    backend,
    features: [...adapter.features].sort(),
    isCpu: /swiftshader|llvmpipe|lavapipe|softpipe|warp|cpu/.test(text),
    family: /swiftshader/.test(text) ? 'swiftshader' : /llvmpipe|lavapipe|softpipe/.test(text) ? 'llvmpipe' : 'gpu',
  };
}

/** The browser's adapter, or a message telling the user what to do. */
export async function requestBrowserContext(options: GPURequestAdapterOptions = {}): Promise<GpuContext> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    throw new ClipError(
      'gpu',
      'WebGPU is not available in this browser. Use a recent Chrome or Edge (113+) on a secure (https or localhost) page, ' +
        'or enable WebGPU in your browser settings (chrome://flags/#enable-unsafe-webgpu on Linux).',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', ...options });
  if (!adapter) {
    throw new ClipError(
      'gpu',
      'WebGPU is present but no adapter is available (the GPU may be blocklisted or disabled). ' +
        'Check chrome://gpu, update your graphics driver, or enable chrome://flags/#enable-unsafe-webgpu.',
    );
  }
  return contextFromAdapter(adapter, 'browser');
}
