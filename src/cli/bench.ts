/**
 * `clip-webgpu bench`: the kernel table (every op and version on CLIP's real shapes, validated
 * against the CPU references, GFLOP/s, GB/s, share of this adapter's probed peak), end-to-end
 * encode times with --model, and onnxruntime-web on the same weights with --peer, in one run.
 * The harness lives in src/bench/ (shared with the playground and bench/bench.html); the peer in bench/
 * (a dev dependency), loaded by the one dynamic import below.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import { GPU_OPTIONS, JSON_OPTION, MODEL_OPTION, closeGpu, openGpu, withModel, type CliIo } from './common.ts';
import { table } from './format.ts';
import type { HarnessOptions } from '../bench/harness.ts';
import { QUICK_SHAPE_IDS, SHAPES, selectShapes } from '../bench/shapes.ts';
import { measureE2e } from '../bench/e2e.ts';
import { measureMaps } from '../bench/maps.ts';
import {
  breakdownRows,
  e2eRows,
  interleavedLines,
  mapRows,
  fmt,
  kernelRows,
  markdownReport,
  type BenchReport,
  type PeerProvider,
  type PeerSummary,
} from '../bench/report.ts';
import { FULL_HARNESS, QUICK_HARNESS, addE2e, runKernelBench } from '../bench/run.ts';

export const spec: CommandSpec = {
  name: 'bench',
  summary:
    "Benchmark every kernel version on CLIP's shapes, end-to-end encodes (--model) and onnxruntime-web (--peer).",
  usage: 'bench [--model DIR] [--peer ONNX_DIR] [--quick] [--shapes IDS] [--json | --markdown]',
  description:
    'Each kernel version is first checked against its CPU reference (a wrong one is reported, never timed),\n' +
    'then warmed up and timed: median of N samples, GPU time from timestamp-query when the adapter has it,\n' +
    "else wall time around onSubmittedWorkDone. FMA and copy probes give the adapter's own peak; each\n" +
    'result is reported as a share of that roofline. With --model, image encode latency (batch 1) and\n' +
    'throughput (--image-batch), and text prompts/s on batches of --text-batch ImageNet-style prompts.\n' +
    'With --model --maps instead: the time per map of every explanation (gradcam) and segmentation method.\n' +
    "With --peer (a folder written by shared/tools/export_onnx.py from the same weights), onnxruntime-web's\n" +
    'WebGPU and WASM providers on the same inputs, in the same process. Benchmarks: nothing is asserted.\n' +
    `Shapes: ${SHAPES.map((s) => s.id).join(', ')} (--quick: ${QUICK_SHAPE_IDS.join(', ')}).`,
  options: {
    ...MODEL_OPTION,
    peer: {
      type: 'string',
      value: 'ONNX_DIR',
      help: 'Folder with onnx/vision_model.onnx and onnx/text_model.onnx of the same weights (needs --model).',
    },
    quick: { type: 'boolean', help: 'B/32 batch-1 shapes only, fewer samples, small e2e batches.' },
    maps: {
      type: 'boolean',
      help: 'With --model: time one map of each explanation and segmentation method (instead of the encodes).',
    },
    shapes: {
      type: 'string',
      value: 'IDS',
      help: 'Comma-separated shape ids (default: all; "none" skips the kernel table).',
    },
    samples: { type: 'string', value: 'N', help: 'Timed samples per end-to-end measurement (default 3; --quick 1).' },
    'image-batch': {
      type: 'string',
      value: 'N',
      help: 'Images in the throughput batch (default 32; --quick 4; 0 skips it).',
    },
    'text-batch': { type: 'string', value: 'N', help: 'Prompts per text batch (default 80; --quick 8).' },
    'sample-ms': {
      type: 'string',
      value: 'MS',
      help: 'Record enough runs of a kernel in one sample to last this long (default 20).',
    },
    providers: { type: 'string', value: 'LIST', help: 'Peer providers to run (default webgpu,wasm).' },
    markdown: { type: 'boolean', help: 'Print the report as Markdown tables (for BENCHMARKS.md).' },
    report: {
      type: 'string',
      value: 'FILE',
      help: 'Print a report saved with --json again (text or --markdown); runs nothing.',
    },
    ...JSON_OPTION,
    ...GPU_OPTIONS,
  },
  examples: [
    'clip-webgpu bench --quick',
    'clip-webgpu bench --adapter swiftshader --shapes b32-vision-b1,b32-text-b1 --json',
    'clip-webgpu bench --model weights/random-vit-b-32 --peer weights/random-vit-b-32-onnx --shapes none',
  ],
};

function positiveInt(args: ParsedArgs, name: string, fallback: number, min = 1): number {
  const v = args.int(name, fallback);
  if (v < min) throw new UsageError(`--${name} must be at least ${min}, got ${v}`, 'bench');
  return v;
}

function packageVersion(name: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve(name);
    let dir = main;
    for (let i = 0; i < 6; i++) {
      dir = join(dir, '..');
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? null;
      } catch {
        // keep climbing
      }
    }
  } catch {
    // not installed
  }
  return null;
}

export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const saved = args.str('report');
  if (saved !== undefined) {
    let report: BenchReport;
    try {
      report = JSON.parse(readFileSync(saved, 'utf8')) as BenchReport;
    } catch (e) {
      throw new UsageError(`--report: cannot read ${saved}: ${(e as Error).message}`, 'bench');
    }
    io.stdout.write(
      args.flag('json')
        ? JSON.stringify(report) + '\n'
        : args.flag('markdown')
          ? markdownReport(report)
          : textReport(report),
    );
    return 0;
  }
  const quick = args.flag('quick');
  const peerDir = args.str('peer');
  if (peerDir && !args.str('model'))
    throw new UsageError('--peer needs --model (the same weights, for our side of the comparison)', 'bench');
  const maps = args.flag('maps');
  if (maps && !args.str('model'))
    throw new UsageError('--maps needs --model (the model whose maps are timed)', 'bench');
  if (maps && peerDir) throw new UsageError('--maps times our maps only: drop --peer', 'bench');
  if (args.flag('json') && args.flag('markdown')) throw new UsageError('choose one of --json and --markdown', 'bench');
  const shapeArg = args.str('shapes');
  const shapes =
    shapeArg === 'none'
      ? []
      : selectShapesOrUsage(
          shapeArg
            ? shapeArg
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : quick
              ? QUICK_SHAPE_IDS
              : SHAPES.map((s) => s.id),
        );
  const samples = positiveInt(args, 'samples', quick ? 1 : 3);
  const imageBatch = positiveInt(args, 'image-batch', quick ? 4 : 32, 0);
  const textBatch = positiveInt(args, 'text-batch', quick ? 8 : 80);
  const providers = (args.str('providers') ?? 'webgpu,wasm')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of providers)
    if (p !== 'webgpu' && p !== 'wasm')
      throw new UsageError(`--providers: unknown provider "${p}" (webgpu, wasm)`, 'bench');
  const progress = (msg: string) => {
    if (args.flag('verbose') || io.stderr.isTTY) io.stderr.write(`clip-webgpu bench: ${msg}\n`);
  };
  const harness: HarnessOptions = {
    ...(quick ? QUICK_HARNESS : FULL_HARNESS),
    minSampleMs: positiveInt(args, 'sample-ms', 20),
  };

  const ctx = await openGpu(args, io);
  let report: BenchReport;
  try {
    report = await runKernelBench(ctx, shapes, {
      harness,
      environment: {
        runtime: `Node ${process.versions.node}`,
        webgpu: packageVersion('webgpu') ? `npm webgpu ${packageVersion('webgpu')} (Dawn)` : null,
        date: new Date().toISOString(),
        load: loadavg()
          .map((x) => x.toFixed(2))
          .join(' '),
      },
      onStatus: (m) => progress(m),
    });
  } finally {
    closeGpu(ctx);
  }

  if (args.str('model')) {
    await withModel(args, io, async (model) => {
      if (maps) {
        progress(`time per map on ${model.name}`);
        report.maps = await measureMaps(model, { samples, onStep: progress });
        return;
      }
      progress(`end-to-end on ${model.name}`);
      const inputs = addE2e(report, await measureE2e(model, { samples, imageBatch, textBatch, onStep: progress }));
      if (peerDir) {
        const vision = readFileSync(join(peerDir, 'onnx', 'vision_model.onnx'));
        const text = readFileSync(join(peerDir, 'onnx', 'text_model.onnx'));
        const peer: PeerSummary = { image_ms: null, text_ms: null, webgpu: null, wasm: null, description: {} };
        // The single import of bench/ from src/ (ARCHITECTURE): the peer needs onnxruntime-web, a dev
        // dependency of the benchmark only, so it is loaded here, for --peer, and never otherwise.
        const { loadOrtNode, runPeer } = await import('../../bench/peer-ort-node.ts');
        for (const provider of providers as PeerProvider[]) {
          progress(`peer: onnxruntime-web ${provider}`);
          try {
            const ort = await loadOrtNode(provider, model.adapter.backend);
            try {
              peer.description[provider] = ort.description;
              peer[provider] = await runPeer(ort.ort, {
                provider,
                vision,
                text,
                inputs,
                samples,
                imageBatch,
                textBatch,
                eosTokenId: model.config.text.eosTokenId,
                onStep: progress,
                ours: { image: () => model.encodePixels([inputs.pixels[0]]) },
              });
            } finally {
              ort.close();
            }
          } catch (e) {
            peer[provider] = { error: (e as Error).message ?? String(e) };
          }
        }
        if (peer.webgpu && !('error' in peer.webgpu)) {
          peer.image_ms = peer.webgpu.image_ms;
          peer.text_ms = peer.webgpu.text_ms;
        }
        report.peer = peer;
      }
    });
    report.environment.load_after = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  }

  if (args.flag('json')) {
    io.stdout.write(JSON.stringify(report) + '\n');
  } else if (args.flag('markdown')) {
    io.stdout.write(markdownReport(report));
  } else {
    io.stdout.write(textReport(report));
  }
  return 0;
}

function selectShapesOrUsage(ids: string[]) {
  try {
    return selectShapes(ids);
  } catch (e) {
    throw new UsageError(`--shapes: ${(e as Error).message}`, 'bench');
  }
}

function textReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(
    `adapter ${r.adapter.description} [${r.adapter.backend}${r.adapter.isCpu ? ', CPU emulation' : ''}], timing: ${r.adapter.timing}\n`,
  );
  out.push(
    `${Object.entries(r.environment)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}\n`,
  );
  if (r.peak) out.push(`peak: ${fmt(r.peak.gflops)} GFLOP/s (FMA probe), ${fmt(r.peak.gbps)} GB/s (copy probe)\n`);
  if (r.kernels.length) {
    const rows = kernelRows(r.kernels);
    out.push(
      '\n' +
        table(rows, { align: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'] }),
    );
  }
  for (const b of r.breakdown) {
    out.push(
      `\nestimated forward pass ${b.group}: ${fmt(b.ms)} ms (sum of calls x kernel time, best version per role)\n`,
    );
    out.push(table(breakdownRows(b), { indent: '  ', align: ['left', 'left', 'left', 'right', 'right', 'right'] }));
  }
  if (r.e2e || r.peer) {
    out.push('\nend to end (wall time per call, median)\n');
    out.push(table(e2eRows(r), { indent: '  ' }));
    for (const line of interleavedLines(r)) out.push(`  ${line}\n`);
    if (r.e2e) {
      out.push(
        `  GPU memory held: ${fmt(r.e2e.gpu_bytes_peak / 2 ** 20)} MiB (weights ${fmt(r.e2e.weights_bytes / 2 ** 20)} MiB); ` +
          `buffers created per repeated call: ${r.e2e.buffers_created_per_call}\n`,
      );
    }
    if (r.peer) for (const [k, v] of Object.entries(r.peer.description)) out.push(`  peer ${k}: ${v}\n`);
  }
  if (r.maps?.length) {
    out.push('\ntime per map (wall time per call, median)\n');
    out.push(table(mapRows(r.maps), { indent: '  ' }));
  }
  if (r.notes.length) out.push('\n' + r.notes.map((n) => `note: ${n}\n`).join(''));
  return out.join('');
}
