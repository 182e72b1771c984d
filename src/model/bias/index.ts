/** Bias probes and zero-shot dataset evaluation (no UI code; Node's folder walker is src/node/image-folder.ts). */
export * from './stats.ts';
export * from './presets.ts';
export * from './images.ts';
export * from './probe.ts';
export * from './evaluate.ts';
export * from './format.ts';
export * from './world.ts';
export * from './world-probe.ts';
