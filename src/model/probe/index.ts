/** The linear probe on our kernels and the zero-shot vs k-shot comparison. */
export {
  PROBE_HYPER,
  featureScaling,
  normalizeRows,
  probeInputs,
  type FeatureScaling,
  type LinearProbe,
  type ProbeHyper,
} from './hyper.ts';
export { fitLinearProbe, probeLogits, type ProbeData } from './fit.ts';
export {
  DEFAULT_PROBE_SEEDS,
  DEFAULT_SHOTS,
  accuracyOf,
  kShotIndices,
  probeCurve,
  type KShotPoint,
  type LabelledRows,
  type ProbeCurve,
  type ProbeCurveOptions,
} from './kshot.ts';
export { evaluateWithProbe, type ProbeEvaluation, type ProbeEvaluationOptions } from './evaluate.ts';
export { probeJson, shiftsJson } from './format.ts';
