/**
 * Node bundles: WGSL (`?raw`) inlined, the runtime dependencies left as imports (installed beside
 * the package). `npm run build:node`: the library's Node entry, src/node/index.ts ->
 * dist/node/clip-webgpu.mjs (what `import ... from 'clip-webgpu'` gives in Node).
 * vite.cli.config.ts builds the CLI with the same settings.
 */
import { builtinModules } from 'node:module';
import { defineConfig, type UserConfig } from 'vite';

/** The package's `dependencies` that Node code imports: resolved at run time, never bundled. */
const EXTERNAL = ['webgpu', 'pngjs', 'jpeg-js', 'wgpu-matrix'];

/** One self-contained ES module for Node: `entry` -> `outDir/fileName`. */
export function nodeBundle(entry: string, outDir: string, fileName: string): UserConfig {
  return {
    // Only the SSR build below: no index.html, no public/ copying, no .env.
    publicDir: false,
    envDir: false,
    logLevel: 'warn',
    build: {
      ssr: entry,
      target: 'node20',
      outDir,
      emptyOutDir: false,
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: {
        external: [...EXTERNAL, ...EXTERNAL.map((m) => new RegExp(`^${m}/`)), ...builtinModules, /^node:/],
        output: {
          format: 'es',
          entryFileNames: fileName,
          codeSplitting: false,
        },
      },
    },
    ssr: {
      target: 'node',
      external: EXTERNAL,
    },
  };
}

export default defineConfig(nodeBundle('src/node/index.ts', 'dist/node', 'clip-webgpu.mjs'));
