/**
 * bench/bench.html: the same harness as `clip-webgpu bench`, in the browser. `npm run dev` serves
 * it at /bench/bench.html. URL parameters preset the form and `auto=1` starts at once:
 *   ?shapes=b32-vision-b1,b32-text-b1&model=/weights/random-vit-b-32/&peer=/weights/random-vit-b-32-onnx/&auto=1
 * The finished report is on `window.__benchReport` (and `data-state="done"` on <body>) for automation.
 */
import { requestBrowserContext } from '../src/kernels/device.ts';
import { ClipModel } from '../src/model/clip.ts';
import { e2eChart, kernelChart } from '../src/bench/chart.ts';
import { QUICK_SHAPE_IDS, SHAPES, TINY_SHAPES, selectShapes } from '../src/bench/shapes.ts';
import { measureE2e } from '../src/bench/e2e.ts';
import { runPeer, type OrtModule, type PeerProvider } from './peer-ort.ts';
import {
  breakdownRows,
  e2eRows,
  fmt,
  kernelRows,
  markdownReport,
  type BenchReport,
  type PeerSummary,
} from '../src/bench/report.ts';
import { FULL_HARNESS, QUICK_HARNESS, addE2e, runKernelBench } from '../src/bench/run.ts';

declare global {
  interface Window {
    __benchReport?: BenchReport;
  }
}

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const statusEl = $('#status');
const results = $('#results');
const form = $<HTMLFormElement>('#form');
const params = new URLSearchParams(location.search);

function status(text: string, error = false): void {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function tableOf(rows: string[][], numeric: (col: number) => boolean = () => false): HTMLElement {
  const wrap = el('div', { class: 'scroll' });
  const t = el('table');
  const [head, ...body] = rows;
  const tr = el('tr');
  head.forEach((h) => tr.append(el('th', {}, h)));
  t.append(tr);
  for (const r of body) {
    const row = el('tr');
    r.forEach((c, i) => row.append(el('td', { class: c === 'INVALID' ? 'bad' : numeric(i) ? 'num' : '' }, c)));
    t.append(row);
  }
  wrap.append(t);
  return wrap;
}

function render(r: BenchReport): void {
  results.replaceChildren();
  results.append(el('h2', {}, 'Adapter'));
  results.append(
    el(
      'p',
      {},
      `${r.adapter.description} [${r.adapter.backend}${r.adapter.isCpu ? ', CPU' : ''}] · timing: ${r.adapter.timing} · ` +
        Object.entries(r.environment)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · '),
    ),
  );
  if (r.peak)
    results.append(el('p', {}, `Probed peak: ${fmt(r.peak.gflops)} GFLOP/s (FMA), ${fmt(r.peak.gbps)} GB/s (copy)`));
  if (r.kernels.length) {
    results.append(el('h2', {}, 'Kernels'));
    results.append(kernelChart(r.kernels));
    results.append(tableOf(kernelRows(r.kernels), (i) => i >= 4));
    for (const b of r.breakdown) {
      results.append(el('h2', {}, `Estimated forward pass ${b.group}: ${fmt(b.ms)} ms`));
      results.append(tableOf(breakdownRows(b), (i) => i >= 3));
    }
  }
  if (r.e2e || r.peer) {
    results.append(el('h2', {}, 'End to end'));
    const chart = e2eChart(r);
    if (chart) results.append(chart);
    results.append(tableOf(e2eRows(r), (i) => i >= 1));
  }
  if (r.notes.length) {
    const ul = el('ul', { class: 'note' });
    r.notes.forEach((n) => ul.append(el('li', {}, n)));
    results.append(ul);
  }
  results.append(el('h2', {}, 'JSON'));
  results.append(el('pre', {}, JSON.stringify(r, null, 1)));
  results.append(el('h2', {}, 'Markdown'));
  results.append(el('pre', {}, markdownReport(r)));
}

function setupForm(): void {
  const box = $('#shapes');
  const chosen = new Set((params.get('shapes') ?? QUICK_SHAPE_IDS.join(',')).split(','));
  for (const s of [...SHAPES, ...TINY_SHAPES]) {
    const label = el('label');
    const input = el('input', { type: 'checkbox', name: 'shape', value: s.id });
    input.checked = chosen.has(s.id);
    label.append(input, ` ${s.label} (${s.id})`);
    box.append(label);
  }
  for (const key of ['model', 'peer', 'samples', 'imageBatch', 'textBatch']) {
    const v = params.get(key);
    if (v !== null) (form.elements.namedItem(key) as HTMLInputElement).value = v;
  }
  if (params.get('quick') === '1') (form.elements.namedItem('quick') as HTMLInputElement).checked = true;
}

async function loadOrt(): Promise<OrtModule> {
  const ort = (await import('onnxruntime-web/webgpu')) as unknown as OrtModule;
  // The dev server serves node_modules: point ORT at its own wasm files there.
  ort.env.wasm.wasmPaths = new URL('/node_modules/onnxruntime-web/dist/', location.href).href;
  ort.env.logLevel = 'error';
  return ort;
}

async function run(): Promise<void> {
  const data = new FormData(form);
  const shapeIds = data.getAll('shape').map(String);
  const quick = data.get('quick') === 'on';
  const modelUrl = String(data.get('model') ?? '').trim();
  const peerUrl = String(data.get('peer') ?? '').trim();
  const samples = Math.max(1, Number(data.get('samples')) || 3);
  const imageBatch = Math.max(0, Number(data.get('imageBatch')) || 0);
  const textBatch = Math.max(1, Number(data.get('textBatch')) || 80);
  const harness = quick ? QUICK_HARNESS : FULL_HARNESS;

  status('Requesting the WebGPU adapter…');
  const ctx = await requestBrowserContext();
  let report: BenchReport;
  try {
    report = await runKernelBench(ctx, selectShapes(shapeIds), {
      harness,
      environment: {
        runtime: navigator.userAgent,
        date: new Date().toISOString(),
        cores: navigator.hardwareConcurrency ?? null,
      },
      onStatus: (m) => status(m[0].toUpperCase() + m.slice(1)),
    });
    render(report);
  } finally {
    ctx.destroy();
    ctx.device.destroy();
  }

  if (modelUrl) {
    status(`Loading ${modelUrl}…`);
    const gpu = await requestBrowserContext();
    const model = await ClipModel.load(new URL(modelUrl, location.href).href, {
      gpu,
      onProgress: (p) => status(`Loading: ${p.message}`),
    });
    try {
      const inputs = addE2e(
        report,
        await measureE2e(model, { samples, imageBatch, textBatch, onStep: (m) => status(`Ours: ${m}`) }),
      );
      if (peerUrl) {
        const base = new URL(peerUrl.endsWith('/') ? peerUrl : `${peerUrl}/`, location.href);
        const fetchBytes = async (path: string) =>
          new Uint8Array(await (await fetch(new URL(path, base))).arrayBuffer());
        status('Peer: downloading the ONNX models…');
        const vision = await fetchBytes('onnx/vision_model.onnx');
        const text = await fetchBytes('onnx/text_model.onnx');
        const ort = await loadOrt();
        const peer: PeerSummary = { image_ms: null, text_ms: null, webgpu: null, wasm: null, description: {} };
        for (const provider of ['webgpu', 'wasm'] as PeerProvider[]) {
          peer.description[provider] = `onnxruntime-web ${ort.env.versions?.web ?? '?'} ${provider} (in this page)`;
          try {
            peer[provider] = await runPeer(ort, {
              provider,
              vision,
              text,
              inputs,
              samples,
              imageBatch,
              textBatch,
              eosTokenId: model.config.text.eosTokenId,
              onStep: (m) => status(`Peer: ${m}`),
            });
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
    } finally {
      model.dispose();
      gpu.destroy();
      gpu.device.destroy();
    }
    render(report);
  }
  window.__benchReport = report;
  status(`Done: ${report.kernels.filter((k) => k.valid).length}/${report.kernels.length} kernel cases valid.`);
}

setupForm();
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const button = $<HTMLButtonElement>('#run');
  button.disabled = true;
  document.body.dataset.state = 'running';
  run()
    .then(() => (document.body.dataset.state = 'done'))
    .catch((err: unknown) => {
      status(`Failed: ${(err as Error).message ?? String(err)}`, true);
      document.body.dataset.state = 'error';
    })
    .finally(() => (button.disabled = false));
});
if (params.get('auto') === '1') form.requestSubmit();
