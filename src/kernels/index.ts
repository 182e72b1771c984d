export {
  GpuContext,
  Pass,
  Tensor,
  grid,
  shapeSize,
  type AdapterSummary,
  type DType,
  type RuntimeStats,
} from './runtime.ts';
export { contextFromAdapter, requestBrowserContext } from './device.ts';
export { matmul } from './matmul/matmul.ts';
export { layernorm } from './layernorm/layernorm.ts';
export { softmax } from './softmax/softmax.ts';
export { attention, ATTENTION_MAX_TOKENS } from './attention/attention.ts';
export { attentionBias } from './attention-bias/attention-bias.ts';
export { activation, type Activation } from './activation/activation.ts';
export { add } from './add/add.ts';
export { patchEmbed } from './patch-embed/patch-embed.ts';
export { embedding } from './embedding/embedding.ts';
export { l2norm } from './l2norm/l2norm.ts';
export { gatherRows } from './gather-rows/gather-rows.ts';
export {
  adapterKind,
  chosenBy,
  pickVersion,
  runKernel,
  versionNames,
  type AdapterKind,
  type KernelOp,
  type KernelVersion,
} from './versions.ts';
