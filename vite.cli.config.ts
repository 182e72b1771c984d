/**
 * The CLI bundle for Node: src/cli/main.ts -> dist/cli/clip-webgpu.mjs, with the WGSL (`?raw`)
 * inlined and the runtime dependencies left as imports. bin/clip-webgpu.mjs runs it (and rebuilds
 * it when src/ is newer).
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const EXTERNAL = ['webgpu', 'pngjs', 'jpeg-js', 'wgpu-matrix'];

export default defineConfig({
  // Only the SSR build below: no index.html, no public/ copying, no .env.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'src/cli/main.ts',
    target: 'node20',
    outDir: 'dist/cli',
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rolldownOptions: {
      external: [...EXTERNAL, ...EXTERNAL.map((m) => new RegExp(`^${m}/`)), ...builtinModules, /^node:/],
      output: {
        format: 'es',
        entryFileNames: 'clip-webgpu.mjs',
        codeSplitting: false,
      },
    },
  },
  ssr: {
    target: 'node',
    external: EXTERNAL,
  },
});
