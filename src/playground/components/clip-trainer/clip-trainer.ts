/** <clip-trainer>: contrastive training of CLIP in the page (the playground's Train tab). */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ClipError } from '../../../errors.ts';
import { ClipModel } from '../../../model/clip.ts';
import { clipPreset } from '../../../model/config.ts';
import { checkpointFiles, type CheckpointFile } from '../../../model/train/checkpoint.ts';
import { TrainingSession, type SessionStep } from '../../../model/train/session.ts';
import { randomClipModel, trainableCopy } from '../../../model/train/start.ts';
import { heldOutScenes, zeroShotAccuracy, type LabelledScene } from '../../../model/train/zero-shot.ts';
import { COLOUR_NAMES, SHAPES } from '../../../model/world/vocabulary.ts';
import { emit, onModelReady, publishModel } from '../../shared-model.ts';
import { download } from '../shared/download.ts';
import { filesFromDrop, filesFromList, type PickedFile } from '../shared/dropped-files.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { zipStore } from '../shared/zip.ts';
import { lineChart, similarityMatrix } from './charts.ts';
import { trainerStyles } from './clip-trainer.styles.ts';
import { droppedData, worldData, type TrainingData } from './training-data.ts';

export type TrainerState = 'idle' | 'preparing' | 'running' | 'stopped' | 'finished' | 'error';

/** Detail of `clip-train-step`. */
export interface TrainStepDetail {
  step: number;
  steps: number;
  loss: number;
  lr: number;
  logitScale: number;
  gradNorm: number;
  imagesPerSecond: number;
}

/** Detail of `clip-train-eval`: zero-shot accuracy on held-out single-object world scenes. */
export interface TrainEvalDetail {
  step: number;
  shape: number;
  colour: number;
  n: number;
}

/** Detail of `clip-train-state`. */
export interface TrainStateDetail {
  state: TrainerState;
  step: number;
}

/** Detail of `clip-checkpoint-downloaded`. */
export interface CheckpointDownloadDetail {
  /** The zip's file name. */
  name: string;
  step: number;
  bytes: number;
  files: string[];
}

/** Where the data comes from: a world generated in the page, or dropped files. */
type DataSpec = { kind: 'world' } | { kind: 'files'; files: PickedFile[]; description: string };

/** Seed of the held-out scenes (the world the learn-world script holds out, too). */
const HELD_OUT_SEED = 999;
/** Lets the page paint and handle input between two synchronous stretches of work. */
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Rows and columns of the similarity matrix drawn (of the batch's B). */
const MATRIX_PAIRS = 8;

/**
 * Trains CLIP contrastively on our kernels in the page, live. Data: a procedural world generated in
 * the page (scenes, seed, objects per scene) or dropped files (img2dataset's `NNNN.png` + `NNNN.txt`,
 * or an open_clip CSV/TSV with its images; columns `csv-img-key`, `csv-caption-key`). It starts from
 * a copy of the page's current model (fine-tuning: the shared model is not touched) or from CLIP's
 * random init of the tiny config or of the loaded model's sizes, with the tokenizer of the current
 * model. While it trains: the loss curve, the batch's similarity matrix (images × captions, matching
 * pairs on the diagonal), zero-shot shape and colour accuracy on held-out single-object scenes
 * (prompts `a {shape}`, `a {colour} shape`) every `eval-every` steps, and images/s. Stop keeps the
 * trainer's state (weights, AdamW moments, step); Resume continues from it. Stopped or finished, it
 * downloads the checkpoint as one zip (store mode): a Hugging Face folder (`config.json`,
 * `model.safetensors`, `vocab.json`, `merges.txt`) that `ClipModel.load` and `clip-webgpu --model`
 * read, with `optimizer.safetensors` and `trainer.json` beside it (`clip-webgpu train --resume`'s
 * layout); "Use in other tabs" publishes the trained model as the page's current model.
 *
 * @summary Trains CLIP in the page: generated or dropped data, live loss, similarity matrix and zero-shot accuracy.
 *
 * @fires {CustomEvent<TrainStepDetail>} clip-train-step - After every optimizer step.
 * @fires {CustomEvent<TrainEvalDetail>} clip-train-eval - Zero-shot accuracy on the held-out scenes (at step 0, every `eval-every` steps and at the end).
 * @fires {CustomEvent<TrainStateDetail>} clip-train-state - The run started, stopped, finished or failed.
 * @fires {CustomEvent<CheckpointDownloadDetail>} clip-checkpoint-downloaded - The checkpoint zip was handed to the browser.
 * @fires {CustomEvent<ModelReadyDetail>} clip-model-ready - "Use in other tabs": the trained model is the page's model now.
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong (bad data, bad settings, the GPU).
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure.
 *
 * @csspart base - The element's layout.
 * @csspart drop-zone - Where a folder of captioned images is dropped.
 * @csspart add-folder - The Choose folder button.
 * @csspart data-summary - What the training data is.
 * @csspart train-button - Starts a new run.
 * @csspart stop-button - Stops the run (the trainer keeps its state).
 * @csspart resume-button - Continues a stopped run.
 * @csspart status - Step, loss, learning rate, images/s.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure: loads the page's model again.
 * @csspart loss-chart - The loss curve.
 * @csspart accuracy-chart - Zero-shot accuracy over the steps.
 * @csspart similarity - The batch's similarity matrix.
 * @csspart cell - One cell of the similarity matrix.
 * @csspart download-button - Downloads the checkpoint.
 * @csspart use-button - Publishes the trained model to the other tabs.
 *
 * @cssprop --clip-accent - Buttons, the loss curve and the matrix's shade (every element reads the same `--clip-*` tokens, see Conventions).
 * @cssprop --clip-success - The matrix's diagonal and the colour-accuracy line.
 */
export class ClipTrainer extends LitElement {
  static override styles = trainerStyles;

  /** The page's current model: fine-tuning copies it, a run from scratch takes its tokenizer. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** `current` (fine-tune a copy of the current model) or `scratch` (CLIP's random init). */
  @property() start: 'current' | 'scratch' = 'current';
  /** The config of a run from scratch: `tiny` (64 px, width 64, 2 layers) or `loaded` (the current model's sizes). */
  @property({ attribute: 'scratch-config' }) scratchConfig: 'tiny' | 'loaded' = 'tiny';
  /** Scenes of the generated world. */
  @property({ type: Number }) scenes = 512;
  /** Seed of the generated world (and of the random init and the batch order). */
  @property({ type: Number }) seed = 1;
  /** Objects per generated scene: `1`, `2`, `3` or a range such as `1-3`. */
  @property() objects = '1-3';
  /** Image-caption pairs per step (the loss contrasts every pair of the batch). */
  @property({ type: Number, attribute: 'batch-size' }) batchSize = 32;
  /** Optimizer steps of a run (the length of the learning-rate schedule). */
  @property({ type: Number }) steps = 200;
  /** Peak learning rate, default 1e-3 (cosine decay to 0 after the warmup, as open_clip). */
  @property({ type: Number }) lr = 1e-3;
  /** Linear warmup steps. */
  @property({ type: Number }) warmup = 10;
  /**
   * A tower whose weights stay fixed while the other and the logit scale learn (open_clip's
   * --lock-image / --lock-text; locking the image tower is LiT): 'none' (default), 'image' or 'text'.
   */
  @property({ reflect: true }) lock: 'none' | 'image' | 'text' = 'none';
  /** Zero-shot accuracy every N steps (0: only at the start and the end). */
  @property({ type: Number, attribute: 'eval-every' }) evalEvery = 25;
  /** Held-out single-object scenes of the zero-shot accuracy. */
  @property({ type: Number, attribute: 'eval-scenes' }) evalScenes = 80;
  /** The image-path column of a dropped CSV (open_clip's default `filepath`). */
  @property({ attribute: 'csv-img-key' }) csvImgKey = 'filepath';
  /** The caption column of a dropped CSV (open_clip's default `title`). */
  @property({ attribute: 'csv-caption-key' }) csvCaptionKey = 'title';
  /** `idle`, `preparing`, `running`, `stopped`, `finished` or `error`. */
  @property({ reflect: true }) state: TrainerState = 'idle';
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: ElementError | null = null;
  /** The loss of every step of the run. */
  @property({ attribute: false }) losses: { step: number; loss: number }[] = [];
  /** Every zero-shot evaluation of the run. */
  @property({ attribute: false }) evaluations: TrainEvalDetail[] = [];
  @state() private last: SessionStep | null = null;
  @state() private spec: DataSpec = { kind: 'world' };
  @state() private dragging = false;
  @state() private published: { name: string; step: number } | null = null;

  private session: TrainingSession | null = null;
  private data: TrainingData | null = null;
  private heldOut: LabelledScene[] = [];
  private abort: AbortController | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The model "Use in other tabs" published (this element frees it once another model replaces it). */
  private publishedModel: ClipModel | null = null;
  private stopFollowing: (() => void) | undefined;

  constructor() {
    super();
    new SharedModelController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopFollowing = onModelReady((d) => {
      const old = this.publishedModel;
      if (old && d.model !== old) {
        this.publishedModel = null;
        // After every element has taken the new model (the loader frees its old model the same way).
        setTimeout(() => old.dispose(), 0);
      }
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopFollowing?.();
    this.abort?.abort();
    void this.running.then(() => this.discardRun());
  }

  /** Optimizer steps taken in the current run. */
  get step(): number {
    return this.session?.step ?? 0;
  }

  // ---- data ---------------------------------------------------------------------------------------

  /** Trains on a generated world (`scenes`, `seed`, `objects`): the default. */
  useWorld(): void {
    this.spec = { kind: 'world' };
    this.error = null;
  }

  /**
   * Trains on these files: an img2dataset folder (NNNN.png beside NNNN.txt) or an open_clip CSV/TSV
   * with its images ("root/sub/name" paths, as a dropped or picked folder gives them). Pairing and
   * captions are checked now (with the current model's tokenizer); images when a batch needs them.
   */
  async setFiles(files: FileList | readonly File[] | readonly PickedFile[]): Promise<void> {
    const picked = [...files].map((f) => (f instanceof File ? filesFromList([f])[0] : f));
    try {
      const model = this.needModel();
      const d = await droppedData(model, picked, this.csvKeys);
      this.spec = { kind: 'files', files: picked, description: `${d.description}: ${d.pairs.count} pairs` };
      d.dispose();
      this.error = null;
    } catch (e) {
      this.showError(e);
    }
  }

  private get csvKeys() {
    return { imgKey: this.csvImgKey, captionKey: this.csvCaptionKey };
  }

  private worldObjects(): number | [number, number] {
    const m = /^\s*([1-3])\s*(?:-\s*([1-3])\s*)?$/.exec(this.objects);
    if (!m || (m[2] && Number(m[2]) < Number(m[1])))
      throw new ClipError(
        'input',
        `Objects per scene must be 1, 2, 3 or a range such as 1-3, got ${JSON.stringify(this.objects)}.`,
      );
    return m[2] ? [Number(m[1]), Number(m[2])] : Number(m[1]);
  }

  // ---- the run ------------------------------------------------------------------------------------

  /** Starts a new run from the chosen start (a stopped run is discarded). Resolves when it stops, ends or fails. */
  async train(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.discardRun();
    this.running = this.prepareAndRun();
    return this.running;
  }

  /** Stops after the step in flight; the trainer keeps its state for `resume`. */
  stop(): void {
    this.abort?.abort();
  }

  /** Continues a stopped run from the trainer's state. Resolves when it stops, ends or fails. */
  async resume(): Promise<void> {
    if (this.state !== 'stopped' || !this.session) return;
    await this.running;
    this.running = this.runSession();
    return this.running;
  }

  private async prepareAndRun(): Promise<void> {
    this.setState('preparing');
    this.error = null;
    this.losses = [];
    this.evaluations = [];
    this.last = null;
    this.published = null;
    try {
      const options = this.runOptions();
      const source = this.needModel();
      const name = `${source.name.split('/').pop()}-trained`;
      await pause(); // each phase below is a synchronous stretch: paint between them
      const model =
        this.start === 'current'
          ? await trainableCopy(source, name)
          : await randomClipModel(
              this.scratchConfig === 'tiny' ? clipPreset('tiny') : source.config,
              source.tokenizer,
              `clip-${this.scratchConfig}-trained`,
              this.seed,
            );
      try {
        await pause();
        this.data =
          this.spec.kind === 'world'
            ? await worldData(model, { n: this.scenes, seed: this.seed, objects: this.worldObjects() })
            : await droppedData(model, this.spec.files, this.csvKeys);
        this.session = new TrainingSession(model, this.data.pairs, options);
        await pause();
        this.heldOut = await heldOutScenes(model, this.evalScenes, HELD_OUT_SEED);
      } catch (e) {
        this.discardRun(model);
        throw e;
      }
      await this.evaluate(0);
    } catch (e) {
      this.fail(e);
      return;
    }
    await this.runSession();
  }

  private runOptions() {
    const int = (v: number, what: string, min: number) => {
      if (!(Number.isInteger(v) && v >= min))
        throw new ClipError('input', `${what} must be a whole number >= ${min}, got ${v}.`);
      return v;
    };
    if (!(this.lr > 0 && Number.isFinite(this.lr)))
      throw new ClipError('input', `The learning rate must be a positive number, got ${this.lr}.`);
    int(this.scenes, 'Scenes', 2);
    int(this.evalEvery, 'Evaluate every', 0);
    int(this.evalScenes, 'Held-out scenes', 1);
    return {
      batchSize: int(this.batchSize, 'The batch size', 2),
      steps: int(this.steps, 'Steps', 1),
      lr: this.lr,
      warmup: int(this.warmup, 'Warmup', 0),
      seed: this.seed,
      lock: this.lock === 'image' || this.lock === 'text' ? [this.lock] : [],
    };
  }

  private async runSession(): Promise<void> {
    const session = this.session!;
    const abort = (this.abort = new AbortController());
    this.error = null;
    this.setState('running');
    try {
      await session.run({
        signal: abort.signal,
        onStep: async (s) => {
          this.last = s;
          this.losses = [...this.losses, { step: s.step, loss: s.loss }];
          const { cosines: _c, pairs: _p, ...detail } = s;
          emit<TrainStepDetail>(this, 'clip-train-step', { ...detail, steps: session.options.steps });
          const every = this.evalEvery;
          if ((every > 0 && s.step % every === 0) || s.step === session.options.steps) await this.evaluate(s.step);
        },
      });
      this.setState('finished');
    } catch (e) {
      if (e instanceof ClipError && e.code === 'aborted') this.setState('stopped');
      else this.fail(e);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  private async evaluate(step: number): Promise<void> {
    const acc = await zeroShotAccuracy(this.session!.model, this.heldOut);
    const detail = { step, ...acc };
    this.evaluations = [...this.evaluations, detail];
    emit<TrainEvalDetail>(this, 'clip-train-eval', detail);
  }

  private setState(s: TrainerState): void {
    this.state = s;
    emit<TrainStateDetail>(this, 'clip-train-state', { state: s, step: this.step });
  }

  private fail(e: unknown): void {
    this.showError(e);
    this.setState('error');
  }

  /** Frees the run's trainer, data and training model (never the published one). */
  private discardRun(model = this.session?.model): void {
    this.session?.dispose();
    this.session = null;
    this.data?.dispose();
    this.data = null;
    model?.dispose();
  }

  private needModel(): ClipModel {
    if (!this.model)
      throw new ClipError(
        'input',
        'Load a model first: a run starts from it, or takes its tokenizer when it starts from scratch.',
      );
    return this.model;
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  // ---- the checkpoint -----------------------------------------------------------------------------

  private needStill(what: string): TrainingSession {
    if (!this.session || this.session.step === 0)
      throw new ClipError('input', `Train at least one step before you ${what}.`);
    if (this.state === 'running' || this.state === 'preparing')
      throw new ClipError('input', `Stop the training before you ${what} (a checkpoint is taken between steps).`);
    return this.session;
  }

  /** The checkpoint's files: the HF folder, optimizer.safetensors and trainer.json (stopped or finished runs). */
  async checkpoint(): Promise<CheckpointFile[]> {
    const s = this.needStill('take a checkpoint');
    return checkpointFiles(s.trainer, s.model.tokenizer, {
      data: this.data?.description,
      batch_size: s.options.batchSize,
      steps: s.options.steps,
      lr: s.options.lr,
      warmup: s.options.warmup,
      seed: s.options.seed,
      ...(s.trainer.lock.length ? { lock: s.trainer.lock } : {}),
    });
  }

  /** Saves the checkpoint as `<name>-step-N.zip` (one folder inside). */
  async downloadCheckpoint(): Promise<void> {
    try {
      const s = this.needStill('download a checkpoint');
      const files = await this.checkpoint();
      const folder = `${s.model.name}-step-${s.step}`;
      const zip = zipStore(files.map((f) => ({ name: `${folder}/${f.name}`, bytes: f.bytes })));
      download(`${folder}.zip`, zip, 'application/zip');
      emit<CheckpointDownloadDetail>(this, 'clip-checkpoint-downloaded', {
        name: `${folder}.zip`,
        step: s.step,
        bytes: zip.size,
        files: files.map((f) => f.name),
      });
    } catch (e) {
      this.showError(e);
    }
  }

  /**
   * Loads the checkpoint as a model of its own and makes it the page's current model: every other
   * tab (classify, detect, explain, …) uses it. Resolves to it, or null (see `error`).
   */
  async useInOtherTabs(): Promise<ClipModel | null> {
    try {
      const s = this.needStill('use the model in other tabs');
      const files = await this.checkpoint();
      const get = (n: string) => files.find((f) => f.name === n)!.bytes;
      const text = (n: string) => new TextDecoder().decode(get(n));
      const name = `${s.model.name}-step-${s.step}`;
      const model = await ClipModel.load({
        name,
        config: JSON.parse(text('config.json')),
        weights: get('model.safetensors'),
        tokenizer: { vocabJson: text('vocab.json'), mergesTxt: text('merges.txt') },
      });
      this.published = { name, step: s.step };
      publishModel(this, { model, source: name, fromCache: true, local: true });
      this.publishedModel = model; // after the publish: its own event must not free it
      return model;
    } catch (e) {
      this.showError(e);
      return null;
    }
  }

  // ---- view ---------------------------------------------------------------------------------------

  private num(
    key: 'scenes' | 'seed' | 'batchSize' | 'steps' | 'lr' | 'warmup' | 'evalEvery',
    label: string,
    step = '1',
  ) {
    const busy = this.state === 'running' || this.state === 'preparing';
    return html`<label>${label}<input type="number" step=${step} min="0" .value=${String(this[key])} ?disabled=${busy}
      @change=${(e: Event) => (this[key] = Number((e.target as HTMLInputElement).value))}></label>`;
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    if (!e.dataTransfer) return;
    void filesFromDrop(e.dataTransfer).then((picked) => (picked.length ? this.setFiles(picked) : undefined));
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const picked = filesFromList(input.files ?? []);
    input.value = '';
    if (picked.length) void this.setFiles(picked);
  }

  override render() {
    const busy = this.state === 'running' || this.state === 'preparing';
    const world = this.spec.kind === 'world';
    return html`
      <div part="base" class="layout">
        <section class="panel" aria-labelledby="data-title">
          <h3 id="data-title">Data</h3>
          <label class="choice"><input type="radio" name="data" .checked=${world} ?disabled=${busy} @change=${() => this.useWorld()}>
            Generate a world in the page</label>
          <div class="fields">
            ${this.num('scenes', 'Scenes')} ${this.num('seed', 'Seed')}
            <label>Objects per scene<input .value=${this.objects} ?disabled=${busy} @change=${(e: Event) => (this.objects = (e.target as HTMLInputElement).value)}></label>
          </div>
          <div part="drop-zone" class="drop ${this.dragging ? 'dragging' : ''}"
            @dragover=${(e: DragEvent) => {
              e.preventDefault();
              this.dragging = true;
            }}
            @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}>
            <span><strong>Or drop a folder</strong> of captioned images: <code>0001.png</code> + <code>0001.txt</code> (img2dataset), or a CSV
              (columns <code>${this.csvImgKey}</code>, <code>${this.csvCaptionKey}</code>) with its images</span>
            <div class="row"><button part="add-folder" type="button" ?disabled=${busy}
              @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#folder')!.click()}>Choose folder…</button></div>
          </div>
          <input id="folder" type="file" webkitdirectory multiple hidden @change=${this.onPick}>
          <p part="data-summary" class="small">Training on: ${
            world
              ? `a world of ${this.scenes} scenes (seed ${this.seed}, ${this.objects} objects each)`
              : html`${this.spec.kind === 'files' ? this.spec.description : ''} <button class="link" type="button" ?disabled=${busy} @click=${() => this.useWorld()}>use a generated world</button>`
          }</p>
        </section>
        <section class="panel" aria-labelledby="run-title">
          <h3 id="run-title">Model and schedule</h3>
          <label class="choice"><input type="radio" name="start" .checked=${this.start === 'current'} ?disabled=${busy}
            @change=${() => (this.start = 'current')}> Fine-tune the current model <span class="muted small">(${this.model?.name ?? 'none loaded'})</span></label>
          <label class="choice"><input type="radio" name="start" .checked=${this.start === 'scratch'} ?disabled=${busy}
            @change=${() => (this.start = 'scratch')}> From CLIP's random init of
            <select aria-label="Config" .value=${this.scratchConfig} ?disabled=${busy}
              @change=${(e: Event) => (this.scratchConfig = (e.target as HTMLSelectElement).value as 'tiny' | 'loaded')}>
              <option value="tiny">the tiny config</option><option value="loaded">the loaded model's sizes</option>
            </select></label>
          <div class="fields">
            ${this.num('batchSize', 'Batch size')} ${this.num('steps', 'Steps')} ${this.num('lr', 'Learning rate', 'any')}
            ${this.num('warmup', 'Warmup steps')} ${this.num('evalEvery', 'Zero-shot every')}
            <label>Lock
              <select part="lock" aria-label="Lock" .value=${this.lock} ?disabled=${busy}
                @change=${(e: Event) => (this.lock = (e.target as HTMLSelectElement).value as 'none' | 'image' | 'text')}>
                <option value="none">nothing</option>
                <option value="image">the image tower (LiT)</option>
                <option value="text">the text tower</option>
              </select></label>
          </div>
          <div class="row">
            <button part="train-button" class="primary" type="button" ?disabled=${busy || !this.model} @click=${() => void this.train()}>
              ${this.session ? 'Train anew' : 'Train'}</button>
            <button part="stop-button" type="button" ?disabled=${this.state !== 'running'} @click=${() => this.stop()}>Stop</button>
            <button part="resume-button" type="button" ?disabled=${this.state !== 'stopped'} @click=${() => void this.resume()}>Resume</button>
          </div>
          ${this.renderStatus()}
          ${this.error ? html`<div part="error" class="error" role="alert">${this.error.message}${reloadOffer(this.error, this)}</div>` : nothing}
        </section>
        <section class="panel results" aria-labelledby="live-title">
          <h3 id="live-title">Learning ${busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}
            <span class="spacer"></span>
            <button part="download-button" type="button" ?disabled=${busy || !this.step} @click=${() => void this.downloadCheckpoint()}>Download checkpoint</button>
            <button part="use-button" type="button" ?disabled=${busy || !this.step} @click=${() => void this.useInOtherTabs()}>Use in other tabs</button>
          </h3>
          ${this.published ? html`<p class="small">The other tabs now use <strong>${this.published.name}</strong>.</p>` : nothing}
          ${this.renderCharts()}
          ${this.renderMatrix()}
        </section>
      </div>`;
  }

  private renderStatus() {
    const s = this.last;
    const steps = this.session?.options.steps ?? this.steps;
    const what: Record<TrainerState, string> = {
      idle: 'Not started',
      preparing: 'Preparing the model and the data…',
      running: 'Training',
      stopped: 'Stopped',
      finished: 'Finished',
      error: 'Failed',
    };
    return html`<div part="status" class="status" aria-live="polite">
      <span><b>${what[this.state]}</b></span>
      ${
        s
          ? html`<span>step <b data-step=${s.step}>${s.step}</b>/${steps}</span><span>loss <b>${s.loss.toFixed(4)}</b></span>
        <span>lr ${s.lr.toExponential(2)}</span><span><b>${s.imagesPerSecond.toFixed(1)}</b> images/s</span>`
          : nothing
      }
      ${this.state === 'stopped' ? html`<span class="muted small">Resume continues with this run's settings and data; Train anew applies changes.</span>` : nothing}
    </div>`;
  }

  private renderCharts() {
    if (!this.losses.length && !this.evaluations.length)
      return html`<p class="empty muted">${this.model ? 'Press Train: the loss and the zero-shot accuracy appear here as it learns.' : 'Load a model to train.'}</p>`;
    const steps = this.session?.options.steps ?? this.steps;
    const B = this.session?.options.batchSize ?? this.batchSize;
    const pct = (y: number) => `${Math.round(100 * y)}%`;
    const last = this.evaluations.at(-1);
    return html`<div class="charts">
      <div part="loss-chart">
        <div class="legend"><span>Contrastive loss per step</span><span>chance: ln ${B} = ${Math.log(B).toFixed(2)}</span></div>
        ${lineChart(
          [{ name: 'loss', colour: 'var(--_accent)', points: this.losses.map((l) => ({ x: l.step, y: l.loss })) }],
          {
            xMax: steps,
            label: 'Loss curve',
            references: [{ y: Math.log(B), label: 'ln B', colour: 'var(--_muted)' }],
          },
        )}
      </div>
      <div part="accuracy-chart">
        <div class="legend">
          <span>Zero-shot on ${this.heldOut.length} held-out scenes</span>
          ${last ? html`<span>shape <b data-shape=${last.shape}>${pct(last.shape)}</b></span><span>colour <b data-colour=${last.colour}>${pct(last.colour)}</b></span>` : nothing}
        </div>
        ${lineChart(
          [
            {
              name: 'shape',
              colour: 'var(--_accent)',
              points: this.evaluations.map((e) => ({ x: e.step, y: e.shape })),
            },
            {
              name: 'colour',
              colour: 'var(--_success)',
              points: this.evaluations.map((e) => ({ x: e.step, y: e.colour })),
            },
          ],
          {
            xMax: steps,
            yMax: 1,
            format: pct,
            label: 'Zero-shot accuracy: shape and colour',
            references: [
              { y: 1 / SHAPES.length, label: 'shape chance', colour: 'var(--_accent)' },
              { y: 1 / COLOUR_NAMES.length, label: 'colour chance', colour: 'var(--_success)' },
            ],
          },
        )}
      </div>
    </div>`;
  }

  private renderMatrix() {
    const s = this.last;
    if (!s || !this.data) return nothing;
    const B = s.pairs.length;
    const shown = s.pairs.slice(0, MATRIX_PAIRS);
    const rows = shown.map((i) => ({ thumbnail: this.data!.thumbnail(i), caption: this.data!.pairs.caption(i) }));
    return html`<p class="small muted">This batch at step ${s.step}: the cosine of every image (rows) with every caption (columns)${
      B > shown.length ? `, the first ${shown.length} of ${B} pairs` : ''
    }. Training pulls the matching pairs on the diagonal together and pushes the others apart.</p>
      <div class="matrix-scroll">${similarityMatrix(s.cosines, B, rows)}</div>`;
  }
}

if (!customElements.get('clip-trainer')) customElements.define('clip-trainer', ClipTrainer);

declare global {
  interface HTMLElementTagNameMap {
    'clip-trainer': ClipTrainer;
  }
}
