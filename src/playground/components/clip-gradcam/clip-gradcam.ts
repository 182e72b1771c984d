/** <clip-gradcam>: where in one image each of several prompts matches, from the engine's exact backward pass. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { mat3 } from 'wgpu-matrix';
import type { ClipModel } from '../../../model/clip.ts';
import { ClipError } from '../../../errors.ts';
import {
  COLOUR_MAPS,
  DEFAULT_LAYER,
  blendHeatmap,
  overlayMap,
  cellAt,
  colourOf,
  type ColourMap,
  type GradCam,
  type GradCamMethod,
} from '../../../model/explain/index.ts';
import type { ImageInput } from '../../../model/platform.ts';
import { modelToImage } from '../../../model/preprocess/preprocess.ts';
import { defaultSamples, sampleCanvas, samplesFor, type SampleImage } from '../../samples.ts';
import { emit, isShippedModel } from '../../shared-model.ts';
import {
  isPresetLabels,
  PresetFollower,
  presetPrompts,
  SHIPPED_EXPLAIN_METHOD,
  ShippedChoice,
  type WorldPreset,
} from '../../world-presets.ts';
import { listAttribute } from '../shared/attributes.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { EmbeddingMemo } from '../shared/embedding-memo.ts';
import { ImageInputController } from '../shared/image-input.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { presetButtons } from '../shared/preset-buttons.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { imageFromInput, type ShownImage } from '../shared/shown-image.ts';
import { gradcamStyles } from './clip-gradcam.styles.ts';

/** One prompt's explanation (the engine's GradCam) with its prompt and wall time. */
export interface GradcamView extends GradCam {
  prompt: string;
  ms: number;
}

/** Detail of `clip-gradcam`: every prompt's map for the current image, layer and method. */
export interface GradcamResult {
  prompts: string[];
  method: GradCamMethod;
  /** The layer as asked for (negative from the end) and as used (0-based). */
  layer: number;
  results: GradcamView[];
  ms: number;
}

export type GradcamError = ElementError;

const METHODS: { method: GradCamMethod; label: string; about: string }[] = [
  {
    method: 'gradcam',
    label: 'Grad-CAM',
    about: 'Mean gradient over the patches weights the layer’s channels (pytorch-grad-cam’s GradCAM).',
  },
  {
    method: 'gradcam++',
    label: 'Grad-CAM++',
    about: 'Positive gradients weighted by higher-order terms (GradCAMPlusPlus).',
  },
  {
    method: 'relevance',
    label: 'Relevance',
    about: 'Chefer et al.: gradient-weighted attention, rolled out from the layer to the top.',
  },
  {
    method: 'legrad',
    label: 'LeGrad',
    about:
      'Bousselham et al.: positive gradients of each layer’s own image–text score w.r.t. its attention maps, summed from the layer up (default: the last two).',
  },
  {
    method: 'surgery',
    label: 'CLIP Surgery',
    about:
      'Li et al., forward only: a value–value attention path without MLPs from the layer up (default: the last six), minus the empty text’s direction.',
  },
];

const DEFAULT_PROMPTS = ['a photo of a cat', 'a photo of a sailboat'];
/** Overlays are drawn at most this many pixels on their long side (the export too). */
const DRAW_SIZE = 768;

/**
 * Explainability: where in one image each prompt (one per line) matches, one overlay per prompt side
 * by side, from the engine's exact backward pass (`model.gradcam`: the score is
 * `logits_per_image[image, prompt]`, the target the `layer_norm1` output of the chosen vision layer).
 * *Layer* picks any layer of the vision tower (default: the method's own, DEFAULT_LAYER); *Method*
 * is `gradcam` (pytorch-grad-cam's GradCAM), `gradcam++`, `relevance` (Chefer et al.'s attention
 * rollout from that layer up), `legrad` (Bousselham et al., from that layer up) or `surgery` (CLIP
 * Surgery, forward only, from that layer up). *Opacity* and *Colour map* (`jet`, `turbo`, `viridis`, `gray`) redraw on the CPU with
 * no GPU work; hovering (or tapping) a map reads that patch's value (raw, and normalized in
 * parentheses); *Export PNG* saves the overlays with their prompts and scores. Prompt embeddings are
 * cached per model; a new layer, method, prompt or image runs one backward pass per prompt.
 *
 * @summary Where in one image each prompt matches: Grad-CAM, Grad-CAM++, relevance, LeGrad or CLIP Surgery maps.
 *
 * @fires {CustomEvent<GradcamResult>} clip-gradcam - Every prompt's map for the current inputs (detail = `result`).
 * @fires {CustomEvent<{ bytes: number }>} clip-gradcam-export - Export PNG saved a file.
 * @fires {CustomEvent<{ name: string | null }>} clip-image-change - The shown image changed.
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart prompts - The prompts textarea.
 * @csspart presets - The row of world presets (shapes, colours): one prompt per label.
 * @csspart layer - The layer menu.
 * @csspart methods - The method fieldset.
 * @csspart refine - The "Fit to the image" (PAMR) checkbox's label.
 * @csspart method - One method choice (the chosen one is also `method-active`).
 * @csspart opacity - The opacity slider.
 * @csspart colour-map - The colour map menu.
 * @csspart drop-zone - Where an image is dropped or clicked for.
 * @csspart figure - One prompt's overlay with its caption.
 * @csspart overlay - The canvas of one overlay.
 * @csspart cell-hover - The outline of the patch under the pointer.
 * @csspart score - A prompt's score.
 * @csspart value - The map's value under the pointer.
 * @csspart samples - The row of sample images.
 * @csspart sample - One sample button.
 * @csspart choose - The Choose image button.
 * @csspart export - The Export PNG button.
 * @csspart meta - The line under the overlays.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 *
 * @cssprop --clip-accent - Buttons, focus rings, the chosen method (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipGradcam extends LitElement {
  static override styles = gradcamStyles;

  /** The model to explain with; by default the one any clip-model-loader on the page publishes. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** The texts to explain, one overlay each: an attribute with the prompts separated by "|" (prompts may hold commas), or an array property (default `a photo of a cat | a photo of a sailboat`). */
  @property({ converter: listAttribute('|', ' | ') }) prompts: string[] = [...DEFAULT_PROMPTS];
  /**
   * Vision layer whose layer_norm1 output is the target (the first layer read, for relevance, LeGrad
   * and CLIP Surgery): 0-based, negative from the end; null (no attribute): the method's default.
   */
  @property({ type: Number, reflect: true }) layer: number | null = null;
  /**
   * `gradcam`, `gradcam++`, `relevance`, `legrad` or `surgery`. With the shipped model `relevance`, whose
   * map points on it, until a method is chosen with the buttons.
   */
  @property({ reflect: true }) method: GradCamMethod = 'gradcam';
  /** Weight of the heatmap over the image, 0..1. Redraws without the GPU. */
  @property({ type: Number, reflect: true }) opacity = 0.5;
  /** `jet`, `turbo`, `viridis` or `gray`. Redraws without the GPU. */
  @property({ attribute: 'colour-map', reflect: true }) colourMap: ColourMap = 'jet';
  /** Cut prompts over 77 tokens instead of reporting them. */
  @property({ type: Boolean, reflect: true }) truncate = false;
  /** Fit the maps to the image: each refined by the image's pixels (PAMR) and drawn per pixel, not per patch. */
  @property({ type: Boolean, reflect: true }) refine = false;
  /** Hide the sample images. */
  @property({ type: Boolean, attribute: 'no-samples' }) noSamples = false;
  /** The sample images offered under the stage: `[{ name, url }]` (default: the bundled ones). */
  @property({ attribute: false }) samples: readonly SampleImage[] = defaultSamples();
  /** The image: a File/Blob, URL, `<img>`, canvas, ImageBitmap or ImageData. */
  @property({ attribute: false }) image: ImageInput | null = null;
  /** `{ prompts, method, layer, results, ms }` once every prompt is done (also the `clip-gradcam` event's detail), or null. */
  @property({ attribute: false }) result: GradcamResult | null = null;
  /** One entry per prompt as it arrives: the engine's GradCam plus `prompt` and `ms`, or null while pending. */
  @property({ attribute: false }) views: (GradcamView | null)[] = [];
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: GradcamError | null = null;
  /** Maps are being computed. */
  @property({ type: Boolean, reflect: true }) busy = false;
  @state() private shown: ShownImage | null = null;
  /** @internal The drop zone's highlight, set by the image input. */
  @state() dragging = false;
  /** The patch under the pointer, or null. */
  @state() private hover: { cell: number; row: number; col: number } | null = null;
  /** The shown image's pixels at drawing size, for the overlays. */
  @state() private base: ImageData | null = null;

  /** Explanations this element has run on the GPU (one per prompt; redraws add none). */
  explanations = 0;

  private readonly input = new ImageInputController(this, {
    verb: 'explain',
    paste: false,
    show: (img) => this.setShown(img),
    fail: (err) => this.showError(err),
  });
  private readonly request = new LatestRequest(this, (e) => this.showError(e));
  private readonly embeddings = new EmbeddingMemo();
  private promptTimer: ReturnType<typeof setTimeout> | undefined;
  private promptsText: string | null = null;
  private promptsFromTextarea = false;
  private readonly presets = new PresetFollower();
  /** Relevance on the shipped model, where Grad-CAM's map does not point, until a method is chosen. */
  private readonly methodFollower = new ShippedChoice<GradCamMethod>('gradcam', SHIPPED_EXPLAIN_METHOD);

  constructor() {
    super();
    new SharedModelController(this);
  }

  /** Shows a bundled sample image by name (e.g. "cat"). */
  async showSample(name: string): Promise<void> {
    const s = this.samples.find((x) => x.name === name);
    if (!s) return;
    this.setShown({ input: await sampleCanvas(s.url), preview: s.url, name: s.name });
  }

  /** Resolves once the maps for the current inputs are in (or the error is shown). */
  settled(): Promise<void> {
    return this.request.settled();
  }

  /** All overlays side by side with their prompts and scores, as a PNG. */
  async exportPng(): Promise<Blob> {
    const canvases = [...this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[part="overlay"]')];
    const views = this.views;
    if (canvases.length === 0 || views.some((v) => !v))
      throw new ClipError('input', 'Nothing to export yet: the maps are not ready.');
    const pad = 12,
      caption = 40;
    const w = Math.max(...canvases.map((c) => c.width)),
      h = Math.max(...canvases.map((c) => c.height));
    const out = Object.assign(document.createElement('canvas'), {
      width: pad + canvases.length * (w + pad),
      height: pad + h + caption,
    });
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#1f2937';
    ctx.font = '600 14px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    canvases.forEach((c, i) => {
      const x = pad + i * (w + pad);
      ctx.drawImage(c, x, pad);
      const v = views[i]!;
      ctx.fillText(v.prompt, x, pad + h + 6, w);
      ctx.fillText(`score ${v.score.toFixed(2)} · ${v.method}, layer ${v.layer}`, x, pad + h + 23, w);
    });
    return new Promise((resolve, reject) =>
      out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  }

  // ---- reacting to changes ------------------------------------------------------------------------

  private chooseMethod(method: GradCamMethod): void {
    this.methodFollower.chosen();
    this.method = method;
  }

  /** One prompt per label of a world preset ("a circle", ...), or null for the photo defaults. */
  usePreset(preset: WorldPreset | null): void {
    this.prompts = preset ? presetPrompts(preset) : [...DEFAULT_PROMPTS];
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) {
      const next = this.presets.next(isShippedModel(this.model), isPresetLabels(this.prompts, DEFAULT_PROMPTS));
      if (next) this.usePreset(next === 'defaults' ? null : next);
      const method = this.methodFollower.next(isShippedModel(this.model), this.method);
      if (method) this.method = method;
    }
    if (changed.has('prompts')) {
      if (!this.promptsFromTextarea) this.promptsText = null;
      this.promptsFromTextarea = false;
    }
    if (changed.has('image') && this.image !== (this.shown?.input ?? null)) {
      try {
        this.setShown(this.image ? imageFromInput(this.image) : null);
      } catch (e) {
        this.showError(e);
      }
    }
    if (['model', 'prompts', 'layer', 'method', 'truncate', 'refine', 'shown'].some((k) => changed.has(k)))
      this.explain();
  }

  override updated(changed: Map<string, unknown>): void {
    if (['views', 'opacity', 'colourMap', 'base'].some((k) => changed.has(k))) this.paint();
  }

  private setShown(next: ShownImage | null): void {
    if (this.shown?.objectUrl) URL.revokeObjectURL(this.shown.objectUrl);
    this.shown = next;
    this.image = next?.input ?? null;
    this.views = [];
    this.result = null;
    this.base = null;
    this.hover = null;
    this.error = null;
    emit(this, 'clip-image-change', { name: next?.name ?? null });
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  private currentPrompts(): string[] {
    return [...new Set(this.prompts.map((p) => p.trim()).filter(Boolean))];
  }

  /** Queues the maps of every prompt for the current inputs; a newer request makes older ones stale. */
  private explain(): void {
    const model = this.model,
      shown = this.shown;
    const prompts = this.currentPrompts();
    const layer = this.layer,
      method = this.method,
      truncate = this.truncate,
      refine = this.refine;
    if (!model || !shown || prompts.length === 0) {
      this.request.cancel();
      return;
    }
    // Maps that stay valid (same prompt, method and layer: a prompt list edit) stay on screen meanwhile.
    const L = model.config.vision.numLayers;
    const want = layer ?? Math.max(DEFAULT_LAYER[method], -L);
    const same = (v: GradcamView | null, p: string) =>
      v?.prompt === p && v.method === method && v.layer === (want < 0 ? L + want : want) && !!v.refined === refine;
    this.views = prompts.map((p) => this.views.find((v) => same(v, p)) ?? null);
    this.request.run(async (current) => {
      const t0 = performance.now();
      // Each prompt is encoded once per model (template "{}": the prompt as typed).
      const { embeds } = await this.embeddings.labels(model, prompts, ['{}'], truncate);
      const views: (GradcamView | null)[] = prompts.map(() => null);
      for (let i = 0; i < prompts.length; i++) {
        const t = performance.now();
        const r = await model.gradcam(shown.input, embeds[i], { layer: layer ?? undefined, method, refine });
        if (!current()) return;
        this.explanations++;
        views[i] = { ...r, prompt: prompts[i], ms: performance.now() - t };
        this.views = prompts.map((_, k) => views[k] ?? this.views[k] ?? null);
        if (i === 0) void this.loadBase(shown, r, current);
      }
      this.views = [...views];
      this.result = {
        prompts,
        method,
        layer: views[0]!.layer,
        results: views as GradcamView[],
        ms: performance.now() - t0,
      };
      this.error = null;
      emit(this, 'clip-gradcam', this.result);
    });
  }

  /** The shown image's pixels at the size the overlays are drawn (the engine's idea of its size). */
  private async loadBase(shown: ShownImage, r: GradCam, current: () => boolean): Promise<void> {
    if (this.base && this.base.width === drawSize(r).width) return;
    try {
      const source = await drawable(shown);
      if (!current() || shown !== this.shown) return;
      const { width, height } = drawSize(r);
      const c = Object.assign(document.createElement('canvas'), { width, height });
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(source, 0, 0, width, height);
      this.base = ctx.getImageData(0, 0, width, height);
    } catch (e) {
      this.showError(e);
    }
  }

  /** Draws every ready overlay: the image with its map blended in (CPU only). */
  private paint(): void {
    const base = this.base;
    if (!base) return;
    this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[part="overlay"]').forEach((canvas) => {
      const v = this.views[Number(canvas.dataset.index)];
      if (!v) return;
      const scale = base.width / v.image.width;
      const drawn = overlayMap(v); // the refined map per pixel when there is one, else the grid
      const pixels = new ImageData(new Uint8ClampedArray(base.data), base.width, base.height);
      blendHeatmap(
        pixels.data,
        base.width,
        base.height,
        { ...drawn, transform: mat3.multiply(mat3.scaling([scale, scale]), drawn.transform) },
        { opacity: Math.min(1, Math.max(0, Number(this.opacity) || 0)), colourMap: this.colourMap },
      );
      canvas.getContext('2d')!.putImageData(pixels, 0, 0);
    });
  }

  // ---- user input ---------------------------------------------------------------------------------

  private onPromptsInput(e: Event): void {
    const text = (e.target as HTMLTextAreaElement).value;
    this.promptsText = text;
    clearTimeout(this.promptTimer);
    this.promptTimer = setTimeout(() => {
      this.promptsFromTextarea = true;
      this.prompts = text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    }, 300);
  }

  private onPointer(e: PointerEvent, v: GradcamView): void {
    const canvas = e.currentTarget as HTMLElement;
    const rect = canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * v.image.width;
    const y = ((e.clientY - rect.top) / rect.height) * v.image.height;
    const c = cellAt(v, x, y);
    if (c?.cell !== this.hover?.cell) this.hover = c;
  }

  private async download(): Promise<void> {
    try {
      const blob = await this.exportPng();
      const url = URL.createObjectURL(blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: 'gradcam.png' });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      emit(this, 'clip-gradcam-export', { bytes: blob.size });
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------

  override render() {
    const L = this.model?.config.vision.numLayers ?? 0;
    return html`
      <div part="base" class="layout">
        <section class="panel controls-panel" aria-labelledby="prompts-title">
          <h3 id="prompts-title"><label for="prompts">Prompts</label> <span class="muted small">one per line</span></h3>
          <textarea id="prompts" part="prompts" rows="4" spellcheck="false" .value=${this.promptsText ?? this.prompts.join('\n')}
            @input=${this.onPromptsInput}></textarea>
          ${presetButtons((p) => this.usePreset(p))}
          <label class="field"><span class="field-label">Layer</span>
            <select part="layer" aria-label="Vision layer" @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.layer = v === 'default' ? null : Number(v);
            }}>
              <option value="default" ?selected=${this.layer === null}>Method’s default</option>
              <option value="-1" ?selected=${this.layer === -1}>Last${L ? ` (${L - 1})` : ''}</option>
              ${Array.from({ length: L }, (_, i) => html`<option value=${i} ?selected=${this.layer === i}>Layer ${i}${i === 0 ? ' (first)' : ''}</option>`)}
            </select>
          </label>
          <fieldset part="methods" class="methods">
            <legend class="field-label">Method</legend>
            <div class="segmented">
              ${METHODS.map(
                (m) => html`
                <label part="method ${m.method === this.method ? 'method-active' : ''}" class="segment">
                  <input type="radio" name="method" value=${m.method} .checked=${m.method === this.method} @change=${() => this.chooseMethod(m.method)}>
                  <span>${m.label}</span>
                </label>`,
              )}
            </div>
            <p class="muted small about">${METHODS.find((m) => m.method === this.method)?.about ?? ''}</p>
            <label part="refine" class="check">
              <input type="checkbox" .checked=${this.refine} @change=${(e: Event) => (this.refine = (e.target as HTMLInputElement).checked)}>
              <span>Fit to the image (PAMR: the map refined by the pixels, drawn per pixel)</span>
            </label>
          </fieldset>
          <label class="field"><span class="field-label">Opacity</span>
            <span class="slider">
              <input part="opacity" type="range" min="0" max="1" step="0.05" .value=${String(this.opacity)} aria-label="Heatmap opacity"
                @input=${(e: Event) => (this.opacity = Number((e.target as HTMLInputElement).value))}>
              <output>${Math.round(Number(this.opacity) * 100)}%</output>
            </span>
          </label>
          <label class="field"><span class="field-label">Colour map</span>
            <select part="colour-map" aria-label="Colour map" @change=${(e: Event) => (this.colourMap = (e.target as HTMLSelectElement).value as ColourMap)}>
              ${COLOUR_MAPS.map((c) => html`<option value=${c} ?selected=${this.colourMap === c}>${c}</option>`)}
            </select>
            <span class="ramp" style="background: linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${colourOf(this.colourMap, t)})`).join(', ')})"></span>
          </label>
        </section>

        <section class="panel view-panel" aria-labelledby="view-title">
          <h3 id="view-title">Where each prompt matches ${this.busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}</h3>
          ${this.error ? this.renderError(this.error) : nothing}
          ${this.renderStage()}
          ${this.renderFooter()}
        </section>
      </div>`;
  }

  private renderError(err: GradcamError) {
    const tooLong = err.code === 'input' && /tokens long/.test(err.message) && !this.truncate;
    return html`<div part="error" class="error" role="alert">
      ${err.message}
      ${tooLong ? html`<div><button class="link" type="button" @click=${() => (this.truncate = true)}>Cut long prompts to 77 tokens</button></div>` : nothing}
      ${reloadOffer(err, this)}
    </div>`;
  }

  private renderStage() {
    const shown = this.shown;
    const prompts = this.currentPrompts();
    return html`
      <div part="drop-zone" class="stage ${this.dragging ? 'dragging' : ''} ${shown ? 'has-image' : ''}"
        role=${shown ? nothing : 'button'} tabindex=${shown ? nothing : '0'} aria-label=${shown ? nothing : 'Drop or choose an image'}
        @click=${() => !this.shown && this.input.pick()} @keydown=${(e: KeyboardEvent) => !this.shown && (e.key === 'Enter' || e.key === ' ') && this.input.pick()}
        @dragover=${this.input.onDragOver}
        @dragleave=${this.input.onDragLeave} @drop=${this.input.onDrop}>
        ${
          shown
            ? html`<div class="figures" @pointerleave=${(e: PointerEvent) => e.pointerType === 'mouse' && ((this.hover = null))}>
              ${prompts.map((p, i) => this.renderFigure(p, i, this.views[i] ?? null, shown))}
            </div>`
            : html`<div class="placeholder">
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v14H4z M4 15l4-4 5 5 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><circle cx="15.5" cy="9" r="1.6" fill="currentColor"/></svg>
              <span><strong>Drop an image</strong>, or click to choose</span>
            </div>`
        }
        ${this.dragging && shown ? html`<div class="drop-hint">Drop to explain this image</div>` : nothing}
      </div>`;
  }

  private renderFigure(prompt: string, i: number, v: GradcamView | null, shown: ShownImage) {
    const size = v ? drawSize(v) : null;
    const small = size !== null && Math.max(size.width, size.height) < 200;
    const cell = v && this.hover ? this.hover : null;
    const [rows, cols] = v?.grid ?? [1, 1];
    let box = nothing as unknown;
    if (v && cell) {
      const [x0, y0] = pointOf(v, cell.col, cell.row),
        [x1, y1] = pointOf(v, cell.col + 1, cell.row + 1);
      const pct = (a: number, of: number) => `${(100 * a) / of}%`;
      box = html`<div part="cell-hover" class="cell-hover"
        style="left:${pct(x0, v.image.width)};top:${pct(y0, v.image.height)};width:${pct(x1 - x0, v.image.width)};height:${pct(y1 - y0, v.image.height)}"></div>`;
    }
    return html`
      <figure part="figure" data-index=${i}>
        <div class="frame">
          ${
            v && size
              ? html`<canvas part="overlay" data-index=${i} class=${small ? 'pixelated' : ''} width=${size.width} height=${size.height}
                role="img" aria-label=${`${v.method} map of “${prompt}” over the image, ${rows} × ${cols} patches`}
                @pointermove=${(e: PointerEvent) => this.onPointer(e, v)} @pointerdown=${(e: PointerEvent) => this.onPointer(e, v)}></canvas>`
              : html`<img src=${shown.preview} alt=${shown.name}><div class="pending"><span class="spinner" aria-label="working"></span></div>`
          }
          ${box}
        </div>
        <figcaption>
          <span class="prompt" title=${prompt}>${prompt}</span><span class="spacer"></span>
          ${v ? html`<span part="score" class="score" title="logits_per_image: exp(logit_scale) · cosine">${v.score.toFixed(2)}</span>` : nothing}
        </figcaption>
        ${
          v && cell
            ? html`<span part="value" class="value" data-cell=${cell.cell}>row ${cell.row + 1}, col ${cell.col + 1}: ${v.cam[cell.cell].toPrecision(4)} (${v.camNorm[cell.cell].toFixed(2)})</span>`
            : nothing
        }
      </figure>`;
  }

  private renderFooter() {
    const samples =
      this.noSamples || this.samples.length === 0
        ? nothing
        : html`
      <div part="samples" class="samples" role="group" aria-label="Sample images">
        <span class="muted small">Samples</span>
        ${samplesFor(this.samples, isShippedModel(this.model)).map(
          (s) => html`
          <button part="sample" class="sample ${this.shown?.name === s.name ? 'selected' : ''}" type="button"
            title=${s.name} aria-label=${`Sample: ${s.name}`} @click=${() => this.showSample(s.name)}>
            <img src=${s.url} alt="">
          </button>`,
        )}
      </div>`;
    const r = this.result;
    const ready = this.views.length > 0 && this.views.every(Boolean) && !this.busy;
    return html`
      <div class="under-stage">
        ${samples}
        <span class="spacer"></span>
        <button part="choose" type="button" @click=${this.input.pick}>Choose image…</button>
        <button part="export" type="button" ?disabled=${!ready} @click=${this.download}>Export PNG</button>
        <input id="file" type="file" accept="image/*" hidden @change=${this.input.onPick}>
      </div>
      ${!this.model ? html`<p class="empty muted">Load a model to see where each prompt matches the image.</p>` : nothing}
      ${
        r
          ? html`<p part="meta" class="meta muted small">
        ${METHODS.find((m) => m.method === r.method)?.label} on vision layer ${r.layer} (layer_norm1) · ${r.results[0].grid[0]} × ${r.results[0].grid[1]} patches
        · ${r.results.length} ${r.results.length === 1 ? 'prompt' : 'prompts'} · ${Math.round(r.ms)} ms · hover a map to read it</p>`
          : nothing
      }`;
  }
}

/** Overlay size: the engine's image size, at most DRAW_SIZE on the long side. */
function drawSize(r: Pick<GradCam, 'image'>): { width: number; height: number } {
  const s = Math.min(1, DRAW_SIZE / Math.max(r.image.width, r.image.height));
  return { width: Math.max(1, Math.round(r.image.width * s)), height: Math.max(1, Math.round(r.image.height * s)) };
}

/** Grid point (column, row) in image pixels. */
function pointOf(v: Pick<GradCam, 'transform'>, col: number, row: number): [number, number] {
  return modelToImage(v.transform, col, row);
}

/** Something drawImage takes, for the shown image. */
async function drawable(shown: ShownImage): Promise<CanvasImageSource> {
  const input = shown.input;
  if (input instanceof HTMLCanvasElement || input instanceof HTMLImageElement || input instanceof ImageBitmap)
    return input;
  if (input instanceof ImageData) return createImageBitmap(input);
  if (input instanceof Blob) return createImageBitmap(input);
  const img = new Image();
  img.crossOrigin = 'anonymous';
  img.src = typeof input === 'string' ? input : shown.preview;
  await img.decode();
  return img;
}

if (!customElements.get('clip-gradcam')) customElements.define('clip-gradcam', ClipGradcam);

declare global {
  interface HTMLElementTagNameMap {
    'clip-gradcam': ClipGradcam;
  }
}
