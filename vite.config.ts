/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// One config for the playground (dev/build) and the tests. WGSL files are imported with `?raw`
// everywhere (browser build, CLI bundle, tests), so there is one way kernels reach the GPU.
export default defineConfig({
  build: {
    target: 'es2022',
    // `npm run build`: the library bundle. One self-contained ES module (lit, WGSL and the sample
    // images inlined) that exports src/index.ts and defines every clip-* element.
    lib: {
      entry: 'src/bundle.ts',
      formats: ['es'],
      fileName: () => 'clip-webgpu.js',
    },
    outDir: 'dist',
    // dist/ may hold other outputs (e.g. the CLI bundle): replace our file, leave the rest.
    emptyOutDir: false,
    copyPublicDir: false,
    sourcemap: true,
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Dawn (npm `webgpu`) is a native addon: run test files in child processes, not worker threads.
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
    // SwiftShader / llvmpipe WebGPU on two CPU cores: GPU tests are slow, never timed.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
