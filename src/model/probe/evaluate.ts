/**
 * Zero-shot and the linear probe on the same embedded images: the test images are scored zero-shot
 * (evaluateEmbedded, the class names through the templates) and by probes fitted on the training
 * images' embeddings (kshot.ts), so both lines of the figure see exactly the same test rows.
 */
import type { ClipModel } from '../clip.ts';
import { ClipError } from '../../errors.ts';
import { evaluateEmbedded, type Evaluation } from '../bias/evaluate.ts';
import type { EmbeddedImage } from '../bias/images.ts';
import { probeCurve, type LabelledRows, type ProbeCurve, type ProbeCurveOptions } from './kshot.ts';

export interface ProbeEvaluationOptions extends Omit<ProbeCurveOptions, 'classes' | 'dim'> {
  classes: readonly string[];
  templates?: readonly string[];
  /** How a class name fills a template (ClassifyOptions.fill). */
  fill?: (template: string, label: string) => string;
  truncate?: boolean;
}

export interface ProbeEvaluation {
  zeroShot: Evaluation;
  curve: ProbeCurve;
}

export async function evaluateWithProbe(
  model: ClipModel,
  train: readonly EmbeddedImage[],
  test: readonly EmbeddedImage[],
  o: ProbeEvaluationOptions,
): Promise<ProbeEvaluation> {
  const zeroShot = await evaluateEmbedded(model, test, {
    classes: o.classes,
    templates: o.templates,
    fill: o.fill,
    truncate: o.truncate,
    signal: o.signal,
  });
  if (train.length === 0) throw new ClipError('input', 'No training images for the linear probe.');
  const dim = test[0].embedding.length;
  const rows = (images: readonly EmbeddedImage[], what: string): LabelledRows => {
    const index = new Map(o.classes.map((c, i) => [c, i]));
    const features = new Float32Array(images.length * dim);
    const labels = images.map((e, i) => {
      const c = index.get(e.group);
      if (c === undefined)
        throw new ClipError('input', `${what} image ${e.id}: class "${e.group}" is not one of the classes.`);
      features.set(e.embedding, i * dim);
      return c;
    });
    return { features, labels };
  };
  const curve = await probeCurve(model.gpu, rows(train, 'Training'), rows(test, 'Test'), zeroShot.accuracy, {
    ...o,
    classes: o.classes.length,
    dim,
  });
  return { zeroShot, curve };
}
