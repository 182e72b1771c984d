/**
 * The playground's tabs, one per capability. A new capability (Grad-CAM, detection, bias probes,
 * benchmarks) adds its element and one entry here; the element picks up the shared model itself.
 */
import { html, type TemplateResult } from 'lit';

export interface PlaygroundTab {
  /** Also the URL hash (#classify). */
  id: string;
  label: string;
  /** One line under the tab bar saying what the tab does. */
  blurb: string;
  render: () => TemplateResult;
}

export const PLAYGROUND_TABS: PlaygroundTab[] = [
  {
    id: 'classify',
    label: 'Classify',
    blurb: 'Zero-shot classification: CLIP scores the image against a prompt for every label, with no training.',
    render: () => html`<clip-classifier></clip-classifier>`,
  },
  {
    id: 'detect',
    label: 'Detect',
    blurb:
      'Where in the image each query is: a score for every patch of the grid, and boxes where it is high. No training.',
    render: () => html`<clip-patch-detector></clip-patch-detector>`,
  },
  {
    id: 'segment',
    label: 'Segment',
    blurb:
      'A label for every pixel, with no training: MaskCLIP, SCLIP, ClearCLIP or NACLIP change only the last layer of the vision tower; Relevance reads each label’s explanation.',
    render: () => html`<clip-segmenter></clip-segmenter>`,
  },
  {
    id: 'explain',
    label: 'Explain',
    blurb:
      'Where in the image each prompt matches, for any layer of the vision tower: Grad-CAM, relevance and LeGrad from the exact gradient, or CLIP Surgery, computed on the GPU.',
    render: () => html`<clip-gradcam></clip-gradcam>`,
  },
  {
    id: 'bias',
    label: 'Bias probe',
    blurb:
      'Groups of photos against a label set: how often each group gets each label, with 95% intervals and disparities.',
    render: () => html`<clip-bias-probe></clip-bias-probe>`,
  },
  {
    id: 'eval',
    label: 'Evaluate',
    blurb:
      'Zero-shot accuracy on a labelled folder (one sub-folder per class): top-1, top-5, per class, confusion matrix.',
    render: () => html`<clip-dataset-eval></clip-dataset-eval>`,
  },
  {
    id: 'train',
    label: 'Train',
    blurb:
      'Contrastive training in this page: a generated world or your captioned images, the loss and the similarity matrix live, zero-shot accuracy as it learns.',
    render: () => html`<clip-trainer></clip-trainer>`,
  },
  {
    id: 'bench',
    label: 'Benchmark',
    blurb:
      'Every version of every kernel on the shapes CLIP runs, checked then timed on your GPU: GFLOP/s, GB/s, share of its peak, and encode times.',
    render: () => html`<clip-benchmark></clip-benchmark>`,
  },
  {
    id: 'model',
    label: 'Model',
    blurb: 'What the loaded model is made of, and the WebGPU adapter that runs it.',
    render: () => html`<clip-model-card></clip-model-card>`,
  },
];
