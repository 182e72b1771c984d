/**
 * Debian's Chromium (never a downloaded browser) driven by playwright-core, headless, with WebGPU.
 * `--enable-unsafe-webgpu` alone gives a SwiftShader (CPU) adapter with timestamp-query and
 * subgroups on a secure-context page (http://127.0.0.1 counts; about:blank does not).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (a finished page logs none). */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh profile each time: an empty Cache Storage unless the same Browser is reused. */
export async function launch(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'clip-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    if (!/WebSocket/.test(e.message)) errors.push(`pageerror: ${e.message}`);
  });
  page.on('console', (m) => {
    // The dev server runs without its HMR socket in the tests: its client's complaints are expected.
    if (m.type() === 'error' && !/\[vite\]|WebSocket/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
