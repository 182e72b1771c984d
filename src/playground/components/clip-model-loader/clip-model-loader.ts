/** <clip-model-loader>: loads a CLIP model and publishes it to the page. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ClipModel } from '../../../model/clip.ts';
import { formatBytes, formatCount, formatDuration, formatSpeed } from '../../format.ts';
import { checkModelFits, modelNeeds, probeWebGpu } from '../../gpu-check.ts';
import { fetchModelFiles, localModelFiles, remoteModel, remoteUrls, type LocalFile } from '../../model-files.ts';
import { ClipError } from '../../../errors.ts';
import { SHIPPED_MODEL, shippedModelUrl } from '../../../model/shipped.ts';
import {
  currentModel,
  DEFAULT_MODEL,
  emit,
  HUB_MODEL,
  isShippedSource,
  onModelReloadRequest,
  publishModel,
} from '../../shared-model.ts';
import { WeightsCache, type CacheUsage, type CacheDownloadProgress } from '../../weights-cache.ts';
import { filesFromDrop, filesFromList } from '../shared/dropped-files.ts';
import { errorDetail, type ElementError } from '../shared/element-error.ts';
import { loaderStyles } from './clip-model-loader.styles.ts';

const SUGGESTIONS = [DEFAULT_MODEL, HUB_MODEL, 'openai/clip-vit-base-patch16', 'openai/clip-vit-large-patch14'];

const LOCAL = 'local files';

export type LoaderState = 'idle' | 'checking' | 'downloading' | 'uploading' | 'ready' | 'paused' | 'error';

/** Detail of `clip-model-progress`. */
export interface LoaderProgress {
  phase: 'download' | 'upload';
  file: string;
  loaded: number;
  total: number | undefined;
  /** Bytes per second (download). */
  speed: number;
  /** Seconds left (download). */
  eta: number | undefined;
  fromCache: boolean;
}

/** Detail of `clip-error` (also the `error` property). */
export type LoaderError = ElementError;

/**
 * Loads the shipped model (`shapes-clip`, the default: served beside the code, read without the cache
 * or any download, so it works offline at once), a model from a Hugging Face id, a folder URL (absolute or relative, laid out like a hub repo:
 * `config.json`, `model.safetensors`, `vocab.json` + `merges.txt` or `tokenizer.json`), or a folder or
 * files dropped on it / chosen with *Open files…*. Before downloading it checks that WebGPU exists and
 * that the adapter's buffer limits fit the model (from `config.json`), so neither problem costs a
 * download. Downloads are stored in 4 MiB chunks: an interrupted download (network, Cancel, closed tab)
 * resumes with an HTTP Range request; a reload of a cached model touches no network and works offline.
 * A new model replaces the old one on every element, and the old one's GPU memory is freed.
 * An element's `clip-model-reload` (its "Reload the model" after a lost GPU device) runs the last
 * load again, so the page recovers without a refresh.
 *
 * @summary Loads a CLIP model (hub id, folder URL or dropped files), caches it, and shares it with the page.
 *
 * @fires {CustomEvent<LoaderProgress>} clip-model-progress - Download or upload progress.
 * @fires {CustomEvent<ModelReadyDetail>} clip-model-ready - A model is ready: `{ model, source, fromCache, local }`; every element on the page takes it.
 * @fires {CustomEvent<ElementError>} clip-error - The load failed.
 * @fires {CustomEvent<{}>} clip-cache-cleared - The model cache was emptied.
 *
 * @csspart base - The card.
 * @csspart form - The source form.
 * @csspart input - The source input.
 * @csspart button - Every button (also `load-button`, `cancel-button`, `files-button`, `clear-button`,
 *   `hub-button`: load `openai/clip-vit-base-patch32` from the hub, `shipped-button`: back to the shipped model).
 * @csspart progress - The progress bar.
 * @csspart status - The status line.
 * @csspart error - The error message.
 * @csspart cache - The cache footer.
 * @csspart drop-overlay - The overlay shown while files are dragged over.
 *
 * @cssprop --clip-accent - Buttons, the progress bar, focus rings (every element reads the same `--clip-*` tokens, see Conventions).
 * @cssprop --clip-accent-soft - The progress track and the drop highlight.
 */
export class ClipModelLoader extends LitElement {
  static override styles = loaderStyles;

  /** `shapes-clip` (the shipped model, default), a hub id or a folder URL to load. */
  @property({ reflect: true }) source: string = DEFAULT_MODEL;
  /** Hub endpoint for ids (default https://huggingface.co; a mirror, or a local server laid out like the hub). */
  @property() endpoint = '';
  /** Load `source` on connect if it is the shipped model or every file is already cached (never starts a download by itself). */
  @property({ type: Boolean }) autoload = false;
  /** Do not keep downloaded files in Cache Storage. */
  @property({ type: Boolean, attribute: 'no-cache' }) noCache = false;
  /** The loaded model (null until one is ready). Shared with the page, not owned by a caller. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** `idle`, `checking`, `downloading`, `uploading`, `ready`, `paused` or `error`. */
  @property({ reflect: true }) state: LoaderState = 'idle';
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: LoaderError | null = null;
  /** The download or upload in progress, or null. */
  @property({ attribute: false }) progress: LoaderProgress | null = null;
  @state() private loadedInfo: {
    name: string;
    fromCache: boolean;
    local: boolean;
    shipped: boolean;
    seconds: number;
    parameters: number;
  } | null = null;
  @state() private usage: CacheUsage | null = null;
  @state() private dragging = false;

  private readonly cache = new WeightsCache();
  private abort: AbortController | null = null;
  /** The last load read a URL (so "Retry without the cache" applies), not dropped files. */
  private lastLoadRemote = false;
  /** The last load, to run again when an element asks for a reload (a lost GPU device). */
  private lastLoad: (() => Promise<ClipModel | null>) | null = null;
  private stopReloads: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refreshUsage();
    // Only the loader whose model the page uses answers (a page may have several loaders).
    this.stopReloads = onModelReloadRequest(() => {
      if (this.model && this.model === currentModel()) void this.reload();
    });
    // No WebGPU: say so at once, rather than after the user presses Load.
    void probeWebGpu().then((gpu) => {
      if (!gpu.available && this.state === 'idle') {
        this.state = 'error';
        this.error = { code: 'gpu', message: gpu.error!.message };
      } else if (gpu.available && this.autoload && this.source) {
        void this.loadIfCached();
      }
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopReloads?.();
  }

  // ---- public API ---------------------------------------------------------------------------------

  /** Loads a hub id or folder URL (default: `source`). Resolves to the model, or null (see `error`). */
  async load(source: string = this.source): Promise<ClipModel | null> {
    this.source = source.trim();
    this.lastLoadRemote = true;
    const requested = this.source;
    this.lastLoad = () => this.load(requested);
    return this.run(this.source, async (signal) => {
      if (!requested)
        throw new ClipError(
          'input',
          'Type a Hugging Face id (e.g. openai/clip-vit-base-patch32) or a folder URL, or drop a model folder here.',
        );
      // The shipped model comes from beside the code, never from the cache: a newer one is seen at once.
      const shipped = isShippedSource(this.source);
      const location = shipped ? shippedModelUrl() : this.source;
      const remote = remoteModel(location, this.endpoint || undefined);
      const gpu = await probeWebGpu();
      checkModelFits(null, gpu, this.source); // no WebGPU: say so before any download
      this.state = 'downloading';
      const files = await fetchModelFiles(location, remote, {
        cache: this.noCache || shipped ? new WeightsCache(undefined, undefined, false) : this.cache,
        signal,
        onProgress: (p) => this.onDownload(p),
        checkConfig: (config) => checkModelFits(config, gpu, remote.repoId ?? this.source),
      });
      if (shipped) files.name = SHIPPED_MODEL;
      return { input: files, fromCache: files.fromCache, shipped };
    });
  }

  /** Loads dropped or chosen files (a CLIP folder's contents). */
  async loadFiles(files: readonly (File | LocalFile)[]): Promise<ClipModel | null> {
    const local = files.map((f) => (f instanceof File ? { file: f, path: f.name } : f));
    this.lastLoadRemote = false;
    this.lastLoad = () => this.loadFiles(files);
    return this.run(LOCAL, async () => {
      const input = await localModelFiles(local);
      input.name = localModelName(input.name ?? '', input.config);
      const gpu = await probeWebGpu();
      checkModelFits(input.config, gpu, input.name ?? 'This model');
      return { input, fromCache: true };
    });
  }

  /**
   * Runs the last load again (the same source or files), e.g. after the GPU device was lost: the new
   * model goes to every element, as any load's does. Resolves to the model, or null.
   */
  async reload(): Promise<ClipModel | null> {
    return this.lastLoad ? this.lastLoad() : null;
  }

  /** Stops a download; what is saved stays, and the next load resumes. */
  cancel(): void {
    this.abort?.abort(new DOMException('Cancelled', 'AbortError'));
  }

  /** Forgets the cached files of `source` and loads it again from the network. */
  async retryWithoutCache(source: string = this.source): Promise<ClipModel | null> {
    try {
      await this.cache.clear(remoteModel(source, this.endpoint || undefined).folder);
    } catch {
      // not a remote source: a plain load says why
    }
    return this.load(source);
  }

  /** Empties the model cache (the loaded model keeps working). */
  async clearCache(): Promise<void> {
    await this.cache.clear();
    await this.refreshUsage();
    emit(this, 'clip-cache-cleared', {});
  }

  /** True when every file of `source` is in the cache: a load would not touch the network. */
  async isCached(source: string = this.source): Promise<boolean> {
    try {
      return await this.cache.hasAll(remoteUrls(remoteModel(source, this.endpoint || undefined)));
    } catch {
      return false;
    }
  }

  // ---- loading ------------------------------------------------------------------------------------

  private async loadIfCached(): Promise<void> {
    if (isShippedSource(this.source) || (await this.isCached())) await this.load();
  }

  private async run(
    label: string,
    resolveFiles: (
      signal: AbortSignal,
    ) => Promise<{ input: Parameters<typeof ClipModel.load>[0]; fromCache: boolean; shipped?: boolean }>,
  ): Promise<ClipModel | null> {
    this.abort?.abort(new DOMException('Superseded', 'AbortError'));
    const abort = (this.abort = new AbortController());
    const t0 = performance.now();
    this.state = 'checking';
    this.error = null;
    this.progress = null;
    try {
      const { input, fromCache, shipped = false } = await resolveFiles(abort.signal);
      if (abort.signal.aborted) throw abort.signal.reason;
      this.state = 'uploading';
      const model = await ClipModel.load(input, {
        onProgress: (p) => {
          if (p.phase === 'weights')
            this.setProgress({
              phase: 'upload',
              file: p.message,
              loaded: p.loaded,
              total: p.total,
              speed: 0,
              eta: undefined,
              fromCache,
            });
        },
      });
      if (abort.signal.aborted) {
        model.dispose();
        throw abort.signal.reason;
      }
      const previous = this.model;
      this.model = model;
      this.state = 'ready';
      this.progress = null;
      const local = label === LOCAL;
      if (local) this.source = ''; // the box no longer shows a hub id the page is not using
      this.loadedInfo = {
        name: model.name,
        fromCache,
        local,
        shipped,
        seconds: (performance.now() - t0) / 1000,
        parameters: modelNeeds(model.config).parameters,
      };
      publishModel(this, { model, source: local ? model.name : this.source, fromCache, local, shipped });
      // Components switch to the new model on the event above; the old one's GPU memory goes now.
      if (previous && previous !== model) previous.dispose();
      return model;
    } catch (e) {
      if (abort !== this.abort) return null; // a newer load took over
      if (isAbort(e)) {
        this.state = 'paused';
        this.error = null;
      } else {
        this.state = 'error';
        this.error = errorDetail(e);
        emit(this, 'clip-error', this.error);
      }
      return null;
    } finally {
      if (abort === this.abort) this.abort = null;
      void this.refreshUsage();
    }
  }

  private onDownload(p: CacheDownloadProgress): void {
    this.setProgress({
      phase: 'download',
      file: p.file,
      loaded: p.loaded,
      total: p.total,
      speed: p.speed,
      eta: p.eta,
      fromCache: p.fromCache,
    });
  }

  private setProgress(p: LoaderProgress): void {
    this.progress = p;
    emit(this, 'clip-model-progress', p);
  }

  private async refreshUsage(): Promise<void> {
    try {
      this.usage = this.cache.available ? await this.cache.usage() : null;
    } catch {
      this.usage = null;
    }
  }

  // ---- drag and drop, file pickers ---------------------------------------------------------------

  private onDragOver(e: DragEvent): void {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
    e.preventDefault();
    this.dragging = true;
  }

  private onDragLeave(e: DragEvent): void {
    if (!this.renderRoot.contains(e.relatedTarget as Node | null)) this.dragging = false;
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    if (!e.dataTransfer) return;
    const files = filesFromDrop(e.dataTransfer);
    void files.then((f) => this.loadFiles(f));
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = filesFromList(input.files);
    input.value = '';
    if (files.length) void this.loadFiles(files);
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const value = (this.renderRoot.querySelector('#source') as HTMLInputElement).value;
    void this.load(value);
  }

  // ---- rendering ----------------------------------------------------------------------------------

  private get busy(): boolean {
    return this.state === 'checking' || this.state === 'downloading' || this.state === 'uploading';
  }

  override render() {
    return html`
      <section part="base" class="card ${this.dragging ? 'dragging' : ''}"
        @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        <form part="form" @submit=${this.onSubmit}>
          <label for="source" class="label">Model</label>
          <div class="row">
            <input id="source" part="input" .value=${this.source} list="suggestions" autocomplete="off" spellcheck="false"
              placeholder="org/name or https://…/folder/" aria-describedby="hint">
            <datalist id="suggestions">${SUGGESTIONS.map((s) => html`<option value=${s}></option>`)}</datalist>
            <div class="buttons">
              <button part="button load-button" class="primary" type="submit" ?disabled=${this.busy}>
                ${this.busy ? 'Loading…' : this.state === 'paused' ? 'Resume' : 'Load'}
              </button>
              ${
                this.busy && this.state !== 'uploading'
                  ? html`<button part="button cancel-button" type="button" @click=${this.cancel}>Cancel</button>`
                  : html`<button part="button files-button" type="button" ?disabled=${this.busy}
                    @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#files')!.click()}>Open files…</button>`
              }
            </div>
          </div>
          <p id="hint" class="hint muted">
            A Hugging Face id, a folder URL, or drop a CLIP folder here
            (<code>config.json</code>, <code>model.safetensors</code>, <code>vocab.json</code>, <code>merges.txt</code>).
          </p>
          <input id="files" type="file" multiple hidden @change=${this.onPick}>
          ${this.renderPicks()}
        </form>
        ${this.renderProgress()} ${this.renderStatus()}
        ${
          this.error
            ? html`<div part="error" class="error" role="alert"><strong>${errorTitle(this.error.code)}</strong>${this.error.message}
          ${
            this.lastLoadRemote && this.cache.available && this.error.code !== 'gpu' && this.error.code !== 'input'
              ? html`<button part="button retry-button" class="link" type="button"
            @click=${() => this.retryWithoutCache()}>Retry without the cache</button>`
              : nothing
          }</div>`
            : nothing
        }
        ${this.renderCache()}
        <div class="drop-overlay" part="drop-overlay" aria-hidden="true">Drop the model folder or its files</div>
      </section>
    `;
  }

  /** One click to the real CLIP on the hub, or back to the shipped model. */
  private renderPicks() {
    const onHub = this.source.trim() === HUB_MODEL;
    const shipped = isShippedSource(this.source);
    return html`<p part="picks" class="hint picks muted">
      ${
        onHub
          ? nothing
          : html`<button part="button hub-button" class="link" type="button" ?disabled=${this.busy}
            @click=${() => this.load(HUB_MODEL)}>Load ${HUB_MODEL}</button>
            from the Hugging Face hub (600 MB, downloaded once, then cached)`
      }
      ${onHub || shipped ? nothing : ' · '}
      ${
        shipped
          ? nothing
          : html`<button part="button shipped-button" class="link" type="button" ?disabled=${this.busy}
            @click=${() => this.load(DEFAULT_MODEL)}>Back to ${SHIPPED_MODEL}</button>, the small model shipped with this page`
      }
    </p>`;
  }

  private renderProgress() {
    const p = this.progress;
    if (!p || !this.busy) return nothing;
    const fraction = p.total ? Math.min(1, p.loaded / p.total) : undefined;
    const text =
      p.phase === 'upload'
        ? `Uploading weights to the GPU · ${fraction !== undefined ? Math.round(fraction * 100) : 0}%`
        : [
            `${p.fromCache ? 'Reading' : 'Downloading'} ${p.file}`,
            p.total ? `${formatBytes(p.loaded)} of ${formatBytes(p.total)}` : formatBytes(p.loaded),
            formatSpeed(p.speed),
            p.eta !== undefined && !p.fromCache ? `${formatDuration(p.eta)} left` : '',
          ]
            .filter(Boolean)
            .join(' · ');
    return html`
      <div part="progress" class="progress" role="progressbar" aria-label=${text}
        aria-valuemin="0" aria-valuemax="100" aria-valuenow=${fraction !== undefined ? Math.round(fraction * 100) : nothing}>
        <div class="track"><div class="fill ${fraction === undefined ? 'indeterminate' : ''}" style="width:${(fraction ?? 0.3) * 100}%"></div></div>
        <div class="progress-text">${text}</div>
      </div>`;
  }

  private renderStatus() {
    if (this.state === 'checking' && !this.progress)
      return html`<p part="status" class="status muted">Checking WebGPU and the cache…</p>`;
    if (this.state === 'paused')
      return html`<p part="status" class="status muted">Download paused. What is downloaded is kept: Resume continues from there.</p>`;
    if (this.state === 'idle' && !this.model) {
      return html`<p part="status" class="status muted">Load downloads the model once; it then stays in this browser's cache, for offline use too.</p>`;
    }
    if (this.state !== 'ready' || !this.model || !this.loadedInfo) return nothing;
    const c = this.model.config;
    const i = this.loadedInfo;
    return html`<p part="status" class="status ready">
      <span class="dot" aria-hidden="true"></span>
      <span><strong>${i.name}</strong> is ready
        <span class="muted">· ${formatCount(i.parameters)} parameters · ${c.vision.imageSize} px images · ${i.local ? 'read from your files' : i.shipped ? 'shipped with this page, trained on the procedural world; read' : i.fromCache ? 'from the cache' : 'downloaded'} in ${i.seconds.toFixed(1)} s</span></span>
    </p>`;
  }

  private renderCache() {
    if (!this.usage) return nothing;
    const u = this.usage;
    const n = u.models.length;
    return html`<footer part="cache" class="cache muted">
      <span>Cache: ${n === 0 ? 'empty' : html`${formatBytes(u.bytes)} in ${n} ${n === 1 ? 'model' : 'models'}${u.models.some((m) => !m.complete) ? ' (partly downloaded)' : ''}`}
        ${u.quota ? html`<span class="quota">· ${formatBytes(u.quota)} available to this site</span>` : nothing}</span>
      <button part="button clear-button" class="link" type="button" ?disabled=${n === 0 || this.busy} @click=${this.clearCache}>Clear cache</button>
    </footer>`;
  }
}

/**
 * A dropped folder's name is the model's name; files picked on their own have none, so the
 * config's `_name_or_path` (e.g. "openai/clip-vit-base-patch32") names it, else the weights file.
 */
export function localModelName(name: string, config: unknown): string {
  if (!name.endsWith('.safetensors')) return name;
  const origin = (config as { _name_or_path?: unknown } | null)?._name_or_path;
  if (typeof origin === 'string' && origin.trim()) return origin.trim().split('/').pop()!;
  return name === 'model.safetensors' ? 'local model' : name.replace(/\.safetensors$/, '');
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

function errorTitle(code: string): string {
  switch (code) {
    case 'gpu':
      return 'WebGPU problem';
    case 'not-found':
      return 'Model not found';
    case 'network':
      return 'Network problem';
    case 'input':
      return 'Cannot use this source';
    case 'tokenizer':
      return 'Tokenizer missing';
    default:
      return 'Could not load the model';
  }
}

if (!customElements.get('clip-model-loader')) customElements.define('clip-model-loader', ClipModelLoader);

declare global {
  interface HTMLElementTagNameMap {
    'clip-model-loader': ClipModelLoader;
  }
}
