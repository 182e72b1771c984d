/**
 * clip-webgpu: CLIP (ViT) in hand-written WGSL kernels. Browser entry (Node: src/node/index.ts).
 */
// The API's types name GPUDevice & co.: the package's declarations bring WebGPU's types with them.
/// <reference types="@webgpu/types" preserve="true" />
export { ClipModel } from './model/clip.ts';
export type {
  Classification,
  ClassifyOptions,
  EncodeOptions,
  LoadOptions,
  LoadProgress,
  Similarity,
  TextOptions,
} from './model/clip.ts';
export { ClipError, isClipError, type ClipErrorCode } from './errors.ts';
export type { ClipConfig } from './model/config.ts';
export { DEFAULT_TEMPLATE, IMAGENET_TEMPLATES, TEMPLATE_PRESETS } from './model/templates.ts';
export type { ImageInput, ModelFiles, ModelFilesInput, ModelSource } from './model/platform.ts';
export { setPlatform, browserPlatform } from './model/platform.ts';
export { ClipTokenizer } from './model/tokenizer/bpe.ts';
export { modelToImage } from './model/preprocess/preprocess.ts';
export { hubFileUrl } from './model/hub.ts';
export { SHIPPED_MODEL, shippedModelUrl, setShippedModelUrl } from './model/shipped.ts';
export type { AdapterSummary } from './kernels/runtime.ts';
export type { WeightFormat } from './kernels/matmul/weight-formats.ts';
export { PROBE_THRESHOLD } from './model/compact/probe.ts';
/** A WebGPU adapter's plain description (`describeAdapter(adapter, 'browser')`): what ClipModel.adapter reports. */
export { summarize as describeAdapter } from './kernels/device.ts';
export { detectionBoxes, DETECT_MODES } from './model/detect/index.ts';
export type { Detection, DetectionBox, DetectMode, DetectOptions, DetectQuery } from './model/detect/index.ts';
export {
  BiasProbe,
  runBiasProbe,
  biasReport,
  evaluateDataset,
  evaluateEmbedded,
  evaluation,
  embedImages,
  EmbeddingCache,
  sha256Hex,
  BIAS_PRESETS,
  BIAS_PRESET_NAMES,
  wilsonInterval,
  rate,
  maxMinRatio,
  skews,
  maxSkew,
  minSkew,
  disparity,
  Z_95,
  topPredictions,
  biasReportJson,
  biasCsv,
  evaluationJson,
  evaluationCsv,
} from './model/bias/index.ts';
export type {
  BiasReport,
  GroupResult,
  ImageResult,
  CategoryResult,
  ProbeOptions,
  ScoreOptions,
  Disparity,
  Evaluation,
  EvaluateOptions,
  ClassResult,
  EvaluatedImage,
  ImageItem,
  ImageItems,
  EncodeProgress,
  EmbedImagesOptions,
  EmbeddedImage,
  LabelPreset,
} from './model/bias/index.ts';
export {
  BACKGROUND as SEGMENT_BACKGROUND,
  SEGMENT_LOGIT_SCALE,
  SEGMENT_METHODS,
  upsampleLogits,
} from './model/segment/index.ts';
export type { SegmentMethod, SegmentOptions, Segmentation, SlideOptions } from './model/segment/index.ts';
export { DEFAULT_LAYER, GRADCAM_METHODS, normalizeCam } from './model/explain/index.ts';
export type { GradCam, GradCamMethod, GradCamOptions } from './model/explain/index.ts';
export { Trainer, TRAINER_DEFAULTS } from './model/train/trainer.ts';
export type { TrainerOptions, StepReport, RunOptions } from './model/train/trainer.ts';
export type { TrainBatch, OptimizerHyper } from './model/train/step.ts';
export { learningRate, type LrScheduler } from './model/train/schedule.ts';
export { TrainingSession } from './model/train/session.ts';
export type { TrainingPairs, SessionOptions, SessionStep, SessionRunOptions } from './model/train/session.ts';
export { randomClipModel, trainableCopy } from './model/train/start.ts';
export { checkpointFiles, type CheckpointFile } from './model/train/checkpoint.ts';
export { heldOutScenes, zeroShotAccuracy } from './model/train/zero-shot.ts';
export type { LabelledScene, ZeroShotAccuracy } from './model/train/zero-shot.ts';
/** Evaluation on the procedural world (accuracy per shift) and the linear probe with k-shot curves. */
export {
  WORLD_LABELS,
  evaluateShifts,
  sceneItems,
  worldClasses,
  worldFill,
  worldTemplates,
} from './model/bias/index.ts';
export type { ShiftResult, ShiftsOptions, WorldLabel } from './model/bias/index.ts';
export {
  DEFAULT_PROBE_SEEDS,
  DEFAULT_SHOTS,
  PROBE_HYPER,
  evaluateWithProbe,
  fitLinearProbe,
  kShotIndices,
  probeCurve,
  probeJson,
  probeLogits,
  shiftsJson,
} from './model/probe/index.ts';
export type {
  KShotPoint,
  LinearProbe,
  ProbeCurve,
  ProbeEvaluation,
  ProbeEvaluationOptions,
  ProbeHyper,
} from './model/probe/index.ts';
