/** <clip-playground>: the whole playground page. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ClipModel } from '../../../model/clip.ts';
import { probeWebGpu, type GpuInfo } from '../../gpu-check.ts';
import { DEFAULT_MODEL } from '../../shared-model.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { playgroundStyles } from './clip-playground.styles.ts';
import { PLAYGROUND_TABS } from './tabs.ts';

/**
 * The whole playground page (`index.html` is one `<clip-playground>`): a header with the model and the
 * adapter, the loader, and one tab per capability. A capability adds its element and one entry to
 * `PLAYGROUND_TABS` in `src/playground/components/clip-playground/tabs.ts`; the URL hash selects the
 * tab (`/#model`). It starts with the shipped model (`shapes-clip`, offline); the loader has one
 * click to `openai/clip-vit-base-patch32` on the hub. The playground page takes `?model=<id or URL>`
 * and `?endpoint=<hub mirror>`, remembers the last hub model, and loads it at once when it is cached.
 *
 * @summary The whole playground: the loader and one tab per capability.
 *
 * @csspart header - The page header.
 * @csspart model-chip - The loaded model's name in the header.
 * @csspart adapter-chip - The WebGPU adapter in the header.
 * @csspart loader - The `<clip-model-loader>`.
 * @csspart tab - One tab button (the selected one is also `tab-active`).
 *
 * @cssprop --clip-page - The page background.
 * @cssprop --clip-accent - Tabs, buttons, focus rings (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipPlayground extends LitElement {
  static override styles = playgroundStyles;

  /** The model the loader starts with (default `shapes-clip`, the shipped model, loaded at once; another loads at once when cached). */
  @property() source: string = DEFAULT_MODEL;
  /** Hub endpoint for ids (default https://huggingface.co). */
  @property() endpoint = '';
  /** The selected tab's id (also the URL hash; default `classify`). */
  @property({ reflect: true }) tab: string = PLAYGROUND_TABS[0].id;
  /** @internal The shared model, for the header. */
  @state() model: ClipModel | null = null;
  @state() private gpu: GpuInfo | null = null;

  constructor() {
    super();
    new SharedModelController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.onHash();
    void probeWebGpu().then((g) => (this.gpu = g));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

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
          ${PLAYGROUND_TABS.map(
            (t) => html`
            <button id="tab-${t.id}" part="tab ${t.id === active.id ? 'tab-active' : ''}" class="tab" role="tab" type="button"
              aria-selected=${t.id === active.id ? 'true' : 'false'} aria-controls="panel-${t.id}" tabindex=${t.id === active.id ? 0 : -1}
              @click=${() => this.select(t.id)}>${t.label}</button>`,
          )}
        </nav>
        ${PLAYGROUND_TABS.map(
          (t) => html`
          <section id="panel-${t.id}" class="panel" role="tabpanel" aria-labelledby="tab-${t.id}" ?hidden=${t.id !== active.id}>
            <p class="blurb">${t.blurb}</p>
            ${t.render()}
          </section>`,
        )}
      </main>

      <footer class="footer">
        Hand-written WGSL compute kernels, checked against PyTorch CLIP. Model files stay in this browser's cache.
      </footer>`;
  }

  private renderAdapterChip() {
    const a = this.model?.adapter;
    const g = this.gpu;
    if (!a && !g)
      return html`<span class="chip"><span class="chip-key">GPU</span><span class="chip-value">checking…</span></span>`;
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
  interface HTMLElementTagNameMap {
    'clip-playground': ClipPlayground;
  }
}
