/** <clip-model-card>: what the loaded model is and what runs it. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ClipModel } from '../../../model/clip.ts';
import { shippedModelUrl } from '../../../model/shipped.ts';
import { isShippedModel } from '../../shared-model.ts';
import { formatBytes, formatCount } from '../../format.ts';
import { modelNeeds, probeWebGpu, type GpuInfo } from '../../gpu-check.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { tokens } from '../shared/theme.ts';
import { renderMarkdown } from './markdown.ts';

/** The optional features that matter for compute kernels (struck through when missing). */
const COMPUTE_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'];

/** What a missing feature means here: none of them is required, so say what runs instead. */
const WITHOUT: Record<string, string> = {
  'shader-f16':
    'shader-f16 (16-bit float arithmetic): not needed, the kernels compute in f32 and F16 weights are widened on load',
  subgroups:
    'subgroups: layernorm and patch embedding run their shared-memory versions instead (same results, a little slower)',
  'timestamp-query': 'timestamp-query (GPU timers): the benchmark times kernels by wall clock instead',
};

/**
 * What the shared model is (tower sizes, parameters, logit scale) and the WebGPU adapter that runs it.
 * Before a model loads it shows the adapter alone. For the shipped model it also shows its model card
 * (the README.md of weights/shapes-clip: data, training, results, limits), when there is one.
 *
 * @summary What the loaded model is made of, and the WebGPU adapter that runs it.
 *
 * @csspart base - The grid of panels.
 * @csspart panel - One panel (model, image tower, text tower, GPU).
 * @csspart missing-features - What runs instead of each compute feature the adapter lacks.
 * @csspart card - The shipped model's model card (its README.md).
 *
 * @cssprop --clip-accent - The feature chips (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipModelCard extends LitElement {
  static override styles = [
    tokens,
    css`
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); gap: 1rem; align-items: start; }
    .panel { background: var(--_surface); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.9rem 1rem; min-width: 0; }
    h3 { margin: 0 0 0.6rem; font-size: 0.85rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--_muted); }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.35rem 1rem; margin: 0; }
    dt { color: var(--_muted); }
    dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .name { font-family: var(--_mono); font-size: 0.95rem; }
    .features { display: flex; flex-wrap: wrap; gap: 0.3rem; }
    .feature { font-family: var(--_mono); font-size: 0.75rem; padding: 0.1rem 0.45rem; border-radius: 999px; background: var(--_accent-soft); color: var(--_accent); }
    .feature.absent { background: var(--_surface-2); color: var(--_muted); }
    .feature.absent::before { content: 'no '; }
    .without { margin: 0.5rem 0 0; padding-left: 1.1rem; font-size: 0.85rem; }
    .note { margin: 0.7rem 0 0; font-size: 0.88rem; }
    .empty { margin: 0; }
    .card { grid-column: 1 / -1; line-height: 1.5; }
    .card h4 { margin: 0.2rem 0 0.5rem; font-size: 1.1rem; }
    .card h5 { margin: 1rem 0 0.4rem; font-size: 0.95rem; }
    .card h6 { margin: 0.8rem 0 0.3rem; font-size: 0.88rem; }
    .card p, .card ul, .card ol { margin: 0.4rem 0; }
    .card code { font-family: var(--_mono); font-size: 0.85em; }
    .card pre { background: var(--_surface-2); padding: 0.6rem 0.8rem; border-radius: 6px; overflow-x: auto; }
    .card .table { overflow-x: auto; }
    .card table { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
    .card th, .card td { border-bottom: 1px solid var(--_border); padding: 0.25rem 0.6rem; text-align: left; }
  `,
  ];

  /** The model to describe; by default the page's shared model. */
  @property({ attribute: false }) model: ClipModel | null = null;
  @state() private gpu: GpuInfo | null = null;
  /** The shipped model's README.md (null: none, or another model). */
  @state() private card: string | null = null;

  constructor() {
    super();
    new SharedModelController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void probeWebGpu().then((g) => (this.gpu = g));
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) void this.fetchCard(this.model);
  }

  /** The shipped model's README.md, if it has one (a missing card is no error). */
  private async fetchCard(model: ClipModel | null): Promise<void> {
    this.card = null;
    if (!isShippedModel(model)) return;
    try {
      const res = await fetch(new URL('README.md', shippedModelUrl()));
      // A dev server answers a missing file with its index.html: that is no card.
      const isPage = res.headers.get('content-type')?.includes('text/html');
      const text = res.ok && !isPage ? await res.text() : null;
      if (this.model === model) this.card = text?.trim() ? text : null;
    } catch {
      // no card: the panels above say what the model is
    }
  }

  override render() {
    return html`<div part="base" class="grid">${this.renderModel()}${this.renderAdapter()}${
      this.card ? html`<section class="panel card" part="panel card">${renderMarkdown(this.card)}</section>` : nothing
    }</div>`;
  }

  private renderModel() {
    const m = this.model;
    if (!m)
      return html`<section class="panel" part="panel"><h3>Model</h3><p class="empty muted">No model loaded yet.</p></section>`;
    const { vision: v, text: t } = m.config;
    const needs = modelNeeds(m.config);
    const grid = v.imageSize / v.patchSize;
    return html`
      <section class="panel" part="panel">
        <h3>Model</h3>
        <dl>
          <dt>Name</dt><dd class="name">${m.name}</dd>
          <dt>Parameters</dt><dd>${formatCount(needs.parameters)} (${formatBytes(needs.totalBytes)} as float32 on the GPU)</dd>
          <dt>Embedding</dt><dd>${m.config.projectionDim} dimensions</dd>
          <dt>Logit scale</dt><dd>${m.logitScale.exp.toFixed(2)} (exp of ${m.logitScale.raw.toFixed(4)})</dd>
        </dl>
      </section>
      <section class="panel" part="panel">
        <h3>Image tower</h3>
        <dl>
          <dt>Input</dt><dd>${v.imageSize}×${v.imageSize} px, ${v.patchSize} px patches (${grid}×${grid} + class token)</dd>
          <dt>Transformer</dt><dd>${v.numLayers} layers × width ${v.hiddenSize}, ${v.numHeads} heads, MLP ${v.intermediateSize}</dd>
          <dt>Activation</dt><dd>${v.hiddenAct}</dd>
        </dl>
      </section>
      <section class="panel" part="panel">
        <h3>Text tower</h3>
        <dl>
          <dt>Input</dt><dd>${t.maxPositions} tokens, vocabulary ${t.vocabSize.toLocaleString('en')}</dd>
          <dt>Transformer</dt><dd>${t.numLayers} layers × width ${t.hiddenSize}, ${t.numHeads} heads, MLP ${t.intermediateSize}</dd>
          <dt>Activation</dt><dd>${t.hiddenAct}</dd>
        </dl>
      </section>`;
  }

  private renderAdapter() {
    const a = this.model?.adapter;
    const g = this.gpu;
    if (!a && !g) return nothing;
    const description = a?.description ?? g!.description;
    const isCpu = a?.isCpu ?? g!.isCpu;
    const features = a?.features ?? g!.features;
    const missing = COMPUTE_FEATURES.filter((f) => !features.includes(f));
    return html`
      <section class="panel" part="panel">
        <h3>GPU</h3>
        ${
          g && !g.available && !a
            ? html`<p class="error" role="alert">${g.error?.message}</p>`
            : html`
            <dl>
              <dt>Adapter</dt><dd>${description}</dd>
              ${g?.available ? html`<dt>Largest buffer</dt><dd>${formatBytes(Math.min(g.maxBufferSize, g.maxStorageBufferBindingSize))}</dd>` : nothing}
              <dt>Compute features</dt><dd class="features">${COMPUTE_FEATURES.map((f) => html`<span class="feature ${features.includes(f) ? '' : 'absent'}" title=${features.includes(f) ? 'available' : WITHOUT[f]}>${f}</span>`)}</dd>
            </dl>
            ${missing.length ? html`<ul part="missing-features" class="without muted">${missing.map((f) => html`<li>${WITHOUT[f]}</li>`)}</ul>` : nothing}
            ${isCpu ? html`<p class="note muted">This adapter emulates a GPU on the CPU: fine for small models, slow for large ones.</p>` : nothing}`
        }
      </section>`;
  }
}

if (!customElements.get('clip-model-card')) customElements.define('clip-model-card', ClipModelCard);

declare global {
  interface HTMLElementTagNameMap {
    'clip-model-card': ClipModelCard;
  }
}
