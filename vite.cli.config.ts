/**
 * The CLI bundle for Node: src/cli/main.ts -> dist/cli/clip-webgpu.mjs, with the WGSL (`?raw`)
 * inlined and the runtime dependencies left as imports (the same settings as the library's Node
 * build, vite.node.config.ts). bin/clip-webgpu.mjs runs it (and rebuilds it when src/ is newer).
 */
import { defineConfig } from 'vite';
import { nodeBundle } from './vite.node.config.ts';

export default defineConfig(nodeBundle('src/cli/main.ts', 'dist/cli', 'clip-webgpu.mjs'));
