/**
 * <clip-playground>: the whole playground page: a header with the model and the adapter, the model
 * loader, and one tab per capability (see tabs.ts). The URL hash selects the tab.
 */
import { LitElement, html, nothing } from 'lit';
import type { ClipModel } from '../../../model/clip.ts';
import { probeWebGpu, type GpuInfo } from '../../gpu-check.ts';
import { DEFAULT_MODEL, MODEL_READY, currentModel, type ModelReadyDetail } from '../../shared-model.ts';
import { playgroundStyles } from './clip-playground.styles.ts';
import { PLAYGROUND_TABS } from './tabs.ts';

export class ClipPlayground extends LitElement {
  static override properties = {
    source: { type: String },
    endpoint: { type: String },
    tab: { type: String, reflect: true },
    model: { state: true },
    gpu: { state: true },
  };
  static override styles = playgroundStyles;

  /** The model the loader starts with (it loads at once when cached). */
  declare source: string;
  /** Hub endpoint for ids (default https://huggingface.co). */
  declare endpoint: string;
  declare tab: string;
  declare model: ClipModel | null;
  declare gpu: GpuInfo | null;

  constructor() {
    super();
    this.source = DEFAULT_MODEL;
    this.endpoint = '';
    this.tab = PLAYGROUND_TABS[0].id;
    this.model = null;
    this.gpu = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.model = currentModel();
    this.addEventListener(MODEL_READY, this.onModelReady);
    window.addEventListener('hashchange', this.onHash);
    this.onHash();
    void probeWebGpu().then((g) => (this.gpu = g));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener(MODEL_READY, this.onModelReady);
    window.removeEventListener('hashchange', this.onHash);
  }

  private readonly onModelReady = (e: Event) => {
    this.model = (e as CustomEvent<ModelReadyDetail>).detail.model;
  };

  private readonly onHash = () => {
    const id = location.hash.slice(1);
    if (PLAYGROUND_TABS.some((t) => t.id === id)) this.tab = id;
  };

  private select(id: string, focus = false): void {
    this.tab = id;
    history.replaceState(null, '', `#${id}`);
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${id}`)?.focus());
  }

  private onTabKey(e: KeyboardEvent): void {
    const i = PLAYGROUND_TABS.findIndex((t) => t.id === this.tab);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    this.select(PLAYGROUND_TABS[(i + step + PLAYGROUND_TABS.length) % PLAYGROUND_TABS.length].id, true);
  }

  override render() {
    const active = PLAYGROUND_TABS.find((t) => t.id === this.tab) ?? PLAYGROUND_TABS[0];
    return html`
      <header part="header" class="header">
        <div class="brand">
          <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
            <rect x="2" y="2" width="28" height="28" rx="8" fill="currentColor"/>
            <path d="M9 11h6v10H9zM17 11h6M17 16h6M17 21h6" stroke="#fff" stroke-width="2.2" fill="none" stroke-linecap="round"/>
          </svg>
          <div>
            <h1>CLIP <span class="thin">on WebGPU</span></h1>
            <p class="tagline">Image–text matching in your browser. Nothing leaves this device.</p>
          </div>
        </div>
        <div class="chips">
          <span part="model-chip" class="chip ${this.model ? 'ok' : ''}" title="Loaded model">
            <span class="chip-key">Model</span><span class="chip-value">${this.model?.name ?? 'none loaded'}</span>
          </span>
          ${this.renderAdapterChip()}
        </div>
      </header>

      <main class="main">
        <clip-model-loader part="loader" source=${this.source} endpoint=${this.endpoint || nothing} autoload></clip-model-loader>

        <nav class="tabs" role="tablist" aria-label="Capabilities" @keydown=${this.onTabKey}>
          ${PLAYGROUND_TABS.map((t) => html`
            <button id="tab-${t.id}" part="tab ${t.id === active.id ? 'tab-active' : ''}" class="tab" role="tab" type="button"
              aria-selected=${t.id === active.id ? 'true' : 'false'} aria-controls="panel-${t.id}" tabindex=${t.id === active.id ? 0 : -1}
              @click=${() => this.select(t.id)}>${t.label}</button>`)}
        </nav>
        ${PLAYGROUND_TABS.map((t) => html`
          <section id="panel-${t.id}" class="panel" role="tabpanel" aria-labelledby="tab-${t.id}" ?hidden=${t.id !== active.id}>
            <p class="blurb">${t.blurb}</p>
            ${t.render()}
          </section>`)}
      </main>

      <footer class="footer">
        Hand-written WGSL compute kernels, checked against PyTorch CLIP. Model files stay in this browser's cache.
      </footer>`;
  }

  private renderAdapterChip() {
    const a = this.model?.adapter;
    const g = this.gpu;
    if (!a && !g) return html`<span class="chip"><span class="chip-key">GPU</span><span class="chip-value">checking…</span></span>`;
    if (!a && g && !g.available) {
      return html`<span part="adapter-chip" class="chip bad" title=${g.error?.message ?? ''}><span class="chip-key">GPU</span><span class="chip-value">no WebGPU</span></span>`;
    }
    const description = a?.description ?? g!.description;
    const cpu = a?.isCpu ?? g!.isCpu;
    return html`<span part="adapter-chip" class="chip ${cpu ? 'warn' : 'ok'}" title=${cpu ? 'A CPU emulation of a GPU: slow for large models' : 'WebGPU adapter'}>
      <span class="chip-key">GPU</span><span class="chip-value">${description}${cpu ? ' (CPU)' : ''}</span>
    </span>`;
  }
}

if (!customElements.get('clip-playground')) customElements.define('clip-playground', ClipPlayground);

declare global {
  interface HTMLElementTagNameMap { 'clip-playground': ClipPlayground }
}
