/** Every clip-* element, defined on import. */
export {
  ClipModelLoader,
  type LoaderError,
  type LoaderProgress,
  type LoaderState,
} from './clip-model-loader/clip-model-loader.ts';
export { ClipClassifier, type ClassifierError, type ClassifierResult } from './clip-classifier/clip-classifier.ts';
export { ClipModelCard } from './clip-model-card/clip-model-card.ts';
export { ClipBiasProbe, type BiasProbeError, type BiasScoredDetail } from './clip-bias-probe/clip-bias-probe.ts';
export {
  ClipDatasetEval,
  type DatasetEvalError,
  type DatasetEvaluatedDetail,
} from './clip-dataset-eval/clip-dataset-eval.ts';
export {
  ClipPatchDetector,
  type DetectorError,
  type DetectorResult,
  type DetectorThresholdChange,
} from './clip-patch-detector/clip-patch-detector.ts';
export {
  ClipSegmenter,
  type BackgroundMode,
  type SegmenterError,
  type SegmenterResult,
} from './clip-segmenter/clip-segmenter.ts';
export { ClipGradcam, type GradcamError, type GradcamResult, type GradcamView } from './clip-gradcam/clip-gradcam.ts';
export {
  ClipBenchmark,
  type BenchmarkError,
  type BenchPhase,
  type BenchProgress,
} from './clip-benchmark/clip-benchmark.ts';
export { ClipPlayground } from './clip-playground/clip-playground.ts';
export { PLAYGROUND_TABS, type PlaygroundTab } from './clip-playground/tabs.ts';
