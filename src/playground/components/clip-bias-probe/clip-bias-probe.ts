/** <clip-bias-probe>: the seed's bias experiments on a user's own images. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { BIAS_PRESETS } from '../../../model/bias/presets.ts';
import { BiasProbe, type BiasReport } from '../../../model/bias/probe.ts';
import { EmbeddingCache, embedImages, type EmbeddedImage, type EncodeProgress } from '../../../model/bias/images.ts';
import { biasCsv, biasReportJson, topPredictions } from '../../../model/bias/format.ts';
import { toneProbeScenes, type ToneProbeScene } from '../../../model/bias/world-probe.ts';
import type { ClipModel } from '../../../model/clip.ts';
import { ClipError } from '../../../errors.ts';
import { DEFAULT_TEMPLATE } from '../../../model/templates.ts';
import { emit, isShippedModel } from '../../shared-model.ts';
import { PresetFollower, WORLD_PRESETS, type WorldPresetId } from '../../world-presets.ts';
import { listAttribute } from '../shared/attributes.ts';
import { seriesColour } from '../shared/colours.ts';
import { download } from '../shared/download.ts';
import { byPath, filesFromDrop, filesFromList, type PickedFile } from '../shared/dropped-files.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { byTopFolder, fileItem, isImageFile } from '../shared/image-folders.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { biasChart } from './bias-chart.ts';
import { biasProbeStyles } from './clip-bias-probe.styles.ts';

export type BiasProbeError = ElementError;

/** Detail of `clip-bias-scored`. */
export interface BiasScoredDetail {
  /** The `clip-webgpu bias --json` document. */
  report: Record<string, unknown>;
  templates: string[];
  /** Images the vision tower has encoded for this element so far (a re-score adds none). */
  encodedImages: number;
  ms: number;
}

interface Group {
  name: string;
  files: PickedFile[];
  /** Object URLs of the thumbnails, by path. */
  urls: Map<string, string>;
  embedded: EmbeddedImage[] | null;
}

/**
 * The seed's bias experiments on the user's images: drop one folder per group (the folder names the
 * group; or type a name and add files), pick a preset (`doctor-nurse`, `people-gorilla`,
 * `human-gorilla`, `victim-criminal`, the CLIP paper's `clip-fairface` sets) or type labels, set the
 * template. Every thumbnail gets the seed's line ("Top predictions: Nurse: 69.92% Doctor: 30.08%"); a
 * grouped bar chart shows each group's top-1 rate per label with Wilson 95% whiskers; tables give
 * counts, intervals, mean probabilities, max/min ratio and MaxSkew (definitions in
 * `src/model/bias/stats.ts`). *Export CSV* / *Export JSON* save the same documents as
 * `clip-webgpu bias --csv` / `--json`. Images are encoded once (cached by the SHA-256 of their bytes),
 * so a new preset or template re-scores at once. An "Encoding images n/N" bar shows while it encodes.
 * The `world-backgrounds` preset (the bias experiment of the procedural world) brings its own images:
 * "Generate the probe scenes" adds groups dark and light, the same scenes on each background.
 *
 * @summary Groups of photos against a label set: top-1 rates with 95% intervals and disparities.
 *
 * @fires {CustomEvent<EncodeProgress>} clip-bias-progress - Images encoded so far: `{ done, total, cached }`.
 * @fires {CustomEvent<BiasScoredDetail>} clip-bias-scored - A report for the current groups, labels and template (`report` is the CLI's JSON document).
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart groups - The list of groups.
 * @csspart group - One group's chip.
 * @csspart drop-zone - Where folders are dropped.
 * @csspart group-name - The group name input.
 * @csspart add-folder - The Add folder button.
 * @csspart add-files - The Add files button.
 * @csspart skipped - The note on skipped files.
 * @csspart preset - The label set menu.
 * @csspart labels - The labels textarea.
 * @csspart template - The template input.
 * @csspart progress - The encoding progress bar.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 * @csspart table - The counts and intervals table.
 * @csspart disparity - The disparity table.
 * @csspart grid - One group's thumbnails.
 * @csspart cell - One thumbnail with its predictions.
 * @csspart top-predictions - A thumbnail's "Top predictions" line.
 * @csspart export-csv - The Export CSV button.
 * @csspart export-json - The Export JSON button.
 * @csspart probe-set - The "Generate the probe scenes" button of the world-backgrounds preset.
 *
 * @cssprop --clip-accent - Buttons, focus rings, the progress bar (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipBiasProbe extends LitElement {
  static override styles = biasProbeStyles;

  /** The model; by default the one any clip-model-loader on the page publishes. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /**
   * A preset name (BIAS_PRESETS, or `shapes` / `colours` for the shipped model, which also set the
   * template), or "" for typed labels. Setting it sets `labels`. The shipped model starts with `shapes`.
   */
  @property({ reflect: true }) preset = 'doctor-nurse';
  /** The labels: a comma-separated attribute, or an array property (the preset's, unless given). */
  @property({ converter: listAttribute(',') }) labels: string[] = [];
  /** The prompt template, "{}" marks the label (default `a photo of a {}.`). */
  @property() template: string = DEFAULT_TEMPLATE;
  /** The current report, or null. */
  @property({ attribute: false }) report: BiasReport | null = null;
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: BiasProbeError | null = null;
  /** Images are being encoded or scored. */
  @property({ type: Boolean, reflect: true }) busy = false;
  @state() private progress: EncodeProgress | null = null;
  @state() private groups: Group[] = [];
  @state() private skipped: string[] = [];
  @state() private dragging = false;

  /** Images the vision tower encoded for this element (cached ones not counted). */
  encodedImages = 0;

  private readonly cache = new EmbeddingCache();
  private readonly request = new LatestRequest(this, (e) => {
    this.progress = null;
    this.report = null;
    this.showError(e);
  });
  private probe: BiasProbe | null = null;
  private abort: AbortController | null = null;
  private labelTimer: ReturnType<typeof setTimeout> | undefined;
  private templateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The textarea's text as typed (so that trimming never moves the caret). */
  private labelsText: string | null = null;
  private labelsFromTextarea = false;
  private readonly presets = new PresetFollower();

  constructor() {
    super();
    new SharedModelController(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Stop encoding; the aborted request is stale, so its abort error is not shown.
    this.request.cancel();
    this.abort?.abort();
    for (const g of this.groups) for (const u of g.urls.values()) URL.revokeObjectURL(u);
  }

  // ---- API ----------------------------------------------------------------------------------------

  /** Adds images to a group (created if new); only .png/.jpg/.jpeg files are taken. */
  addGroup(name: string, files: FileList | readonly File[] | readonly PickedFile[]): void {
    const picked = [...files].map((f) => (f instanceof File ? filesFromList([f])[0] : f));
    this.addPicked(name.trim(), picked);
  }

  /**
   * Adds the world-backgrounds preset's own images: groups "dark" and "light", the same generated
   * single-object scenes on each (replacing groups of those names).
   */
  async addToneProbeSet(): Promise<void> {
    const scenes = toneProbeScenes();
    const files = await Promise.all(scenes.map(scenePng));
    // Both groups in one update: one encoding run, not one cut short by the second group.
    for (const group of ['dark', 'light'] as const) {
      this.removeGroup(group);
      this.addPicked(
        group,
        files.filter((f) => f.path.startsWith(`${group}/`)),
      );
    }
  }

  /** Removes a group and its images. */
  removeGroup(name: string): void {
    const g = this.groups.find((x) => x.name === name);
    if (!g) return;
    for (const u of g.urls.values()) URL.revokeObjectURL(u);
    this.groups = this.groups.filter((x) => x !== g);
  }

  /** The `clip-webgpu bias --json` document of the current report, or null. */
  get json(): Record<string, unknown> | null {
    return this.report && biasReportJson(this.report);
  }

  /** The per-image CSV of the current report, or null. */
  get csv(): string | null {
    return this.report && biasCsv(this.report);
  }

  /** Resolves once the current groups, labels and template are scored (or the error is shown). */
  settled(): Promise<void> {
    return this.request.settled();
  }

  // ---- work ---------------------------------------------------------------------------------------

  private addPicked(name: string, picked: readonly PickedFile[]): void {
    const images = picked.filter(isImageFile).sort(byPath); // as the CLI lists a folder
    const skipped = picked.filter((f) => !isImageFile(f)).map((f) => f.path);
    this.skipped = skipped;
    if (!name) {
      this.showError(new ClipError('input', 'Name the group first (e.g. "women"), then add its images.'));
      return;
    }
    if (images.length === 0) {
      this.showError(new ClipError('image', `No .png/.jpg/.jpeg images in what was added to "${name}".`));
      return;
    }
    const existing = this.groups.find((g) => g.name === name);
    const known = new Set(existing?.files.map((f) => f.path));
    const fresh = images.filter((f) => !known.has(f.path));
    const urls = new Map(existing?.urls ?? []);
    for (const f of fresh) urls.set(f.path, URL.createObjectURL(f.file));
    const group: Group = { name, files: [...(existing?.files ?? []), ...fresh], urls, embedded: null };
    this.groups = existing ? this.groups.map((g) => (g === existing ? group : g)) : [...this.groups, group];
    this.error = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) {
      const next = this.presets.next(isShippedModel(this.model), this.preset !== '');
      if (next) this.preset = next === 'defaults' ? 'doctor-nurse' : next.id;
    }
    const world = WORLD_PRESETS[this.preset as WorldPresetId] as (typeof WORLD_PRESETS)[WorldPresetId] | undefined;
    const preset = BIAS_PRESETS[this.preset] ?? world;
    if (changed.has('preset') && preset) {
      const worldTemplate = Object.values(WORLD_PRESETS).some((p) => p.template === this.template);
      if (world) this.template = world.template;
      else if (worldTemplate) this.template = DEFAULT_TEMPLATE;
    }
    if (
      changed.has('labels') &&
      this.labels.length > 0 &&
      preset &&
      JSON.stringify(this.labels) !== JSON.stringify(preset.labels)
    ) {
      this.preset = ''; // labels of one's own
    } else if (changed.has('preset') && preset) {
      this.labels = [...preset.labels];
      this.labelsText = null;
      // A preset made for its own template (world-backgrounds: "a {}") brings it; leaving it restores the default.
      const presetTemplates = Object.values(BIAS_PRESETS).flatMap((p) => p.templates ?? []);
      if (preset.templates) this.template = preset.templates[0];
      else if (presetTemplates.includes(this.template)) this.template = DEFAULT_TEMPLATE;
    }
    if (changed.has('labels') && !this.labelsFromTextarea) this.labelsText = null;
    this.labelsFromTextarea = false;
    if (changed.has('model')) {
      for (const g of this.groups) g.embedded = null;
    }
    const images = changed.has('model') || changed.has('groups');
    if (images) this.probe = null;
    if (['model', 'labels', 'template', 'groups', 'preset'].some((k) => changed.has(k))) this.run(images);
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  /** Queues encoding what is new and scoring; `images`: the images changed (stop encoding the old ones). */
  private run(images: boolean): void {
    const model = this.model,
      groups = this.groups;
    const labels = [...new Set(this.labels.filter((l) => l.trim()))];
    const templates = [this.template];
    const categories = this.preset && BIAS_PRESETS[this.preset] ? BIAS_PRESETS[this.preset].categories : undefined;
    // The old request's abort error arrives after this call has made it stale: it is never shown.
    if (images) this.abort?.abort();
    if (!model || groups.length === 0) {
      this.request.cancel();
      this.report = null;
      this.progress = null;
      return;
    }
    if (images || !this.abort) this.abort = new AbortController();
    const abort = this.abort;
    this.request.run(async (current) => {
      const t0 = performance.now();
      const pending = groups.filter((g) => !g.embedded);
      const total = pending.reduce((s, g) => s + g.files.length, 0);
      let base = 0,
        cached = 0;
      for (const g of pending) {
        let last: EncodeProgress | null = null;
        g.embedded = await embedImages(
          model,
          g.files.map((f) => fileItem(f, g.name)),
          {
            cache: this.cache,
            batchSize: 8,
            signal: abort.signal,
            onProgress: (p) => {
              last = p;
              this.progress = { done: base + p.done, total, cached: cached + p.cached };
              emit(this, 'clip-bias-progress', this.progress);
            },
          },
        );
        const l = last as EncodeProgress | null;
        if (l) {
          this.encodedImages += l.done - l.cached;
          cached += l.cached;
        }
        base += g.files.length;
      }
      if (!current()) return;
      this.progress = null;
      if (labels.length === 0) {
        this.report = null;
        return;
      }
      this.probe ??= BiasProbe.fromEmbedded(
        model,
        groups.map((g) => g.name),
        groups.flatMap((g) => g.embedded!),
      );
      const report = await this.probe.score(labels, { templates, categories });
      if (!current()) return;
      this.report = report;
      this.error = null;
      emit<BiasScoredDetail>(this, 'clip-bias-scored', {
        report: biasReportJson(report),
        templates,
        encodedImages: this.encodedImages,
        ms: performance.now() - t0,
      });
    });
  }

  // ---- user input ---------------------------------------------------------------------------------

  private get nameInput(): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>('#group-name')!;
  }

  /** Picked or dropped files: one group per top folder when no name is typed, else all into the named group. */
  private take(picked: PickedFile[]): void {
    const typed = this.nameInput.value.trim();
    if (typed) {
      this.addPicked(typed, picked);
      this.nameInput.value = '';
      return;
    }
    const folders = byTopFolder(picked);
    if (folders.has('')) {
      this.showError(
        new ClipError(
          'input',
          'Name the group for these files first (e.g. "women"), or drop folders: each becomes a group.',
        ),
      );
      return;
    }
    for (const [folder, files] of folders) this.addPicked(folder, files);
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const picked = filesFromList(input.files ?? []);
    input.value = '';
    if (picked.length) this.take(picked);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    if (!e.dataTransfer) return;
    // Folders in the order the CLI lists them.
    void filesFromDrop(e.dataTransfer).then((picked) => picked.length && this.take(picked.sort(byPath)));
  }

  private onLabelsInput(e: Event): void {
    const text = (e.target as HTMLTextAreaElement).value;
    this.labelsText = text;
    clearTimeout(this.labelTimer);
    this.labelTimer = setTimeout(() => {
      this.labelsFromTextarea = true;
      this.labels = text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    }, 300);
  }

  private onTemplateInput(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.templateTimer);
    this.templateTimer = setTimeout(() => {
      if (!value.includes('{}'))
        return this.showError(
          new ClipError('input', 'The template needs {} where the label goes, e.g. "a photo of a {}."'),
        );
      this.error = null;
      this.template = value;
    }, 300);
  }

  private exportFile(kind: 'csv' | 'json'): void {
    if (!this.report) return;
    if (kind === 'csv') download('bias-probe.csv', biasCsv(this.report), 'text/csv');
    else download('bias-probe.json', JSON.stringify(biasReportJson(this.report), null, 2) + '\n', 'application/json');
  }

  // ---- rendering ----------------------------------------------------------------------------------

  override render() {
    return html`
      <div part="base" class="layout">
        <section class="panel" aria-labelledby="groups-title">
          <h3 id="groups-title">Groups <span class="muted small">one folder of images each</span></h3>
          <ul part="groups" class="groups">
            ${this.groups.map(
              (g, i) => html`
              <li part="group" class="group-chip">
                <span class="swatch" style="background:${seriesColour(i)}"></span>
                <span class="group-name">${g.name}</span>
                <span class="muted small">${g.files.length} ${g.files.length === 1 ? 'image' : 'images'}</span>
                <button class="link remove" type="button" aria-label=${`Remove group ${g.name}`} @click=${() => this.removeGroup(g.name)}>×</button>
              </li>`,
            )}
          </ul>
          <div part="drop-zone" class="drop ${this.dragging ? 'dragging' : ''}"
            @dragover=${(e: DragEvent) => {
              e.preventDefault();
              this.dragging = true;
            }}
            @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}>
            <span><strong>Drop one folder per group</strong> (its name names the group), or name a group and add its files</span>
            <div class="new-group">
              <input id="group-name" part="group-name" placeholder="Group name, e.g. women" aria-label="Group name" spellcheck="false">
              <button part="add-folder" type="button" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#folder')!.click()}>Add folder…</button>
              <button part="add-files" type="button" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#files')!.click()}>Add files…</button>
            </div>
          </div>
          ${
            BIAS_PRESETS[this.preset]?.probeSet === 'world-tones'
              ? html`<button part="probe-set" type="button" @click=${() => this.addToneProbeSet()}>Generate the probe scenes (dark vs light backgrounds)</button>`
              : nothing
          }
          <input id="folder" type="file" webkitdirectory multiple hidden @change=${this.onPick}>
          <input id="files" type="file" accept=".png,.jpg,.jpeg,image/png,image/jpeg" multiple hidden @change=${this.onPick}>
          ${this.skipped.length ? html`<p class="muted small" part="skipped">Skipped ${this.skipped.length} ${this.skipped.length === 1 ? 'file that is' : 'files that are'} not .png/.jpg/.jpeg: ${this.skipped.slice(0, 5).join(', ')}${this.skipped.length > 5 ? '…' : ''}</p>` : nothing}
        </section>

        <section class="panel" aria-labelledby="labels-title">
          <h3 id="labels-title"><label for="labels">Labels</label></h3>
          <select part="preset" aria-label="Label set" .value=${this.preset} @change=${(e: Event) => (this.preset = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.preset}>Custom labels</option>
            ${Object.values(BIAS_PRESETS).map((p) => html`<option value=${p.name} ?selected=${p.name === this.preset}>${p.title}</option>`)}
            <optgroup label="For the shipped model">
              ${Object.values(WORLD_PRESETS).map((p) => html`<option value=${p.id} ?selected=${p.id === this.preset}>${p.title}</option>`)}
            </optgroup>
          </select>
          <textarea id="labels" part="labels" rows="5" spellcheck="false" .value=${this.labelsText ?? this.labels.join('\n')} @input=${this.onLabelsInput}></textarea>
          <label class="template-row"><span class="muted small">Template</span>
            <input part="template" class="template" .value=${this.template} spellcheck="false" @input=${this.onTemplateInput}>
          </label>
        </section>

        <section class="panel results" aria-labelledby="results-title" aria-live="polite">
          <h3 id="results-title">Top-1 rates ${this.busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}
            <span class="spacer"></span>
            <button part="export-csv" type="button" ?disabled=${!this.report} @click=${() => this.exportFile('csv')}>Export CSV</button>
            <button part="export-json" type="button" ?disabled=${!this.report} @click=${() => this.exportFile('json')}>Export JSON</button>
          </h3>
          ${
            this.progress
              ? html`
            <div part="progress" class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=${this.progress.total} aria-valuenow=${this.progress.done}>
              <div class="progress-bar" style="width:${(100 * this.progress.done) / Math.max(1, this.progress.total)}%"></div>
              <span class="progress-text">Encoding images ${this.progress.done}/${this.progress.total}${this.progress.cached ? ` (${this.progress.cached} cached)` : ''}</span>
            </div>`
              : nothing
          }
          ${this.error ? html`<div part="error" class="error" role="alert">${this.error.message}${reloadOffer(this.error, this)}</div>` : nothing}
          ${this.renderReport()}
        </section>
      </div>`;
  }

  private renderReport() {
    if (!this.model) return html`<p class="empty muted">Load a model to run a probe.</p>`;
    if (this.groups.length === 0) return html`<p class="empty muted">Add a group of images or two.</p>`;
    const r = this.report;
    if (!r) return nothing;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return html`
      <div class="legend">${r.groups.map((g, i) => html`<span><span class="swatch" style="background:${seriesColour(i)}"></span>${g.name} (n = ${g.n})</span>`)}</div>
      <div class="chart-scroll">${biasChart(r)}</div>
      <table part="table" class="table">
        <thead><tr><th>Label</th><th>Group</th><th class="num">Count</th><th class="num">Rate</th><th class="num">95% CI</th><th class="num">Mean p</th></tr></thead>
        <tbody>
          ${r.labels.map((label, j) =>
            r.groups.map(
              (g, gi) => html`
            <tr class=${gi === 0 ? 'first' : ''}>
              ${gi === 0 ? html`<th scope="rowgroup" rowspan=${r.groups.length}>${label}</th>` : nothing}
              <td>${g.name}</td><td class="num">${g.counts[j]}/${g.n}</td><td class="num">${pct(g.rates[j])}</td>
              <td class="num">${pct(g.ci[j][0])}–${pct(g.ci[j][1])}</td><td class="num">${g.meanProbs[j].toFixed(3)}</td>
            </tr>`,
            ),
          )}
        </tbody>
      </table>
      ${
        r.groups.length > 1
          ? html`
        <table part="disparity" class="table disparity">
          <thead><tr><th>Label</th><th class="num" title="Highest group rate / lowest">max/min</th><th class="num" title="max over groups of ln(group rate / pooled rate)">MaxSkew</th></tr></thead>
          <tbody>
            ${[
              ...r.labels.map((l, j) => [l, r.disparity[j]] as const),
              ...r.categories.map((c) => [c.name, c.disparity] as const),
            ].map(
              ([name, d]) => html`
              <tr><th scope="row">${name}</th><td class="num">${Number.isFinite(d.maxMinRatio) ? d.maxMinRatio.toFixed(2) : '∞'}</td><td class="num">${d.maxSkew.toFixed(3)}</td></tr>`,
            )}
          </tbody>
        </table>`
          : nothing
      }
      ${this.groups.map(
        (g) => html`
        <h4 class="grid-title">${g.name}</h4>
        <ul part="grid" class="grid">
          ${r.images
            .filter((im) => im.group === g.name)
            .map(
              (im) => html`
            <li part="cell" class="cell" title=${im.id}>
              <img src=${g.urls.get(im.id) ?? ''} alt=${im.id} loading="lazy">
              <span class="name">${im.id.split('/').pop()}</span>
              <span part="top-predictions" class="top-line">${topPredictions(r.labels, im.probs)}</span>
            </li>`,
            )}
        </ul>`,
      )}`;
  }
}

if (!customElements.get('clip-bias-probe')) customElements.define('clip-bias-probe', ClipBiasProbe);

declare global {
  interface HTMLElementTagNameMap {
    'clip-bias-probe': ClipBiasProbe;
  }
}

/** A generated scene as a PNG file in its group's folder (lossless: the probe encodes these pixels). */
async function scenePng(s: ToneProbeScene): Promise<PickedFile> {
  const canvas = new OffscreenCanvas(s.size, s.size);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(s.pixels), s.size, s.size), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const name = `${s.id.slice(s.id.indexOf('/') + 1)}.png`;
  return { path: `${s.group}/${name}`, file: new File([blob], name, { type: 'image/png' }) };
}
