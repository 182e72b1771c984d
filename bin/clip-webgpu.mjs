#!/usr/bin/env node
/**
 * clip-webgpu command line. The kernels import their WGSL with Vite's `?raw`, so Node runs a
 * bundle: dist/cli/clip-webgpu.mjs (built by `npm run build:cli`, which `prepare` runs on install).
 * When the bundle is missing or older than a file under src/, it is rebuilt here first with Vite.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Dawn (npm `webgpu`) prints these two lines on stderr from native code whenever it enumerates
 * adapters, and nothing in its API silences them. So the command runs in a child process whose
 * stderr passes through this filter; the child is told whether the real stderr is a terminal
 * (progress bars, the adapter announcement) and how wide it is.
 */
const DAWN_NOISE =
  /Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.\r?\n/g;
const CHILD = 'CLIP_WEBGPU_CLI_STDERR';

if (!process.env[CHILD]) {
  const tty = process.stderr.isTTY ? `tty:${process.stderr.columns ?? 80}` : 'pipe';
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, [CHILD]: tty },
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    const kept = text.replace(DAWN_NOISE, '');
    if (kept) process.stderr.write(kept);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('close', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  const [kind, columns] = process.env[CHILD].split(':');
  if (kind === 'tty') {
    Object.defineProperty(process.stderr, 'isTTY', { value: true });
    Object.defineProperty(process.stderr, 'columns', { value: Number(columns) || 80 });
  }
  await runCli();
}

async function runCli() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const bundle = join(root, 'dist', 'cli', 'clip-webgpu.mjs');
  const configFile = join(root, 'vite.cli.config.ts');

  /** Newest mtime under `dir` (files only), skipping nothing but unreadable entries. */
  function newest(dir) {
    let t = 0;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return 0;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) t = Math.max(t, newest(p));
      else if (e.isFile()) {
        try {
          t = Math.max(t, statSync(p).mtimeMs);
        } catch {
          // removed while scanning
        }
      }
    }
    return t;
  }

  function stale() {
    if (!existsSync(bundle)) return true;
    const src = join(root, 'src');
    if (!existsSync(src) || !existsSync(configFile)) return false; // an installed package: the bundle is all there is
    const built = statSync(bundle).mtimeMs;
    // The bundle also holds bench/ (the bench command): a change there rebuilds it too.
    return (
      Math.max(newest(src), newest(join(root, 'bench'))) > built ||
      statSync(configFile).mtimeMs > built ||
      statSync(join(root, 'package.json')).mtimeMs > built
    );
  }

  async function rebuild() {
    let vite;
    try {
      vite = await import('vite');
    } catch {
      if (existsSync(bundle)) return; // no Vite (production install): run what is there
      process.stderr.write(
        'clip-webgpu: dist/cli/clip-webgpu.mjs is missing and Vite is not installed: run `npm install && npm run build:cli`\n',
      );
      process.exit(1);
    }
    // Build into a private folder, then rename: concurrent runs never import a half-written bundle.
    const tmp = mkdtempSync(join(root, 'dist', '.cli-build-'));
    try {
      await vite.build({ configFile, root, logLevel: 'error', build: { outDir: tmp, emptyOutDir: false } });
      renameSync(join(tmp, 'clip-webgpu.mjs'), bundle);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  if (stale()) {
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    await rebuild();
  }

  // `clip-webgpu ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

  const { main } = await import(pathToFileURL(bundle).href);
  process.exitCode = await main(process.argv.slice(2));
}
