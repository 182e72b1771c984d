/** Small page-side helpers for the playground tests (Playwright's CSS locators pierce shadow roots). */
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** Records every clip-* event reaching window in `window.clipEvents` (installed before page scripts). */
export async function recordClipEvents(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { clipEvents: { type: string; detail: unknown }[] };
    w.clipEvents = [];
    for (const type of [
      'clip-model-progress',
      'clip-model-ready',
      'clip-error',
      'clip-classified',
      'clip-cache-cleared',
    ]) {
      window.addEventListener(type, (e) => {
        const d = (e as CustomEvent).detail;
        // The model itself does not clone: keep its name.
        w.clipEvents.push({
          type,
          detail:
            type === 'clip-model-ready'
              ? { source: d.source, fromCache: d.fromCache, local: d.local, shipped: !!d.shipped, name: d.model.name }
              : d,
        });
      });
    }
  });
}

export interface ClipEvent {
  type: string;
  detail: any;
}

export function clipEvents(page: Page, type?: string): Promise<ClipEvent[]> {
  return page.evaluate((t) => (window as any).clipEvents.filter((e: ClipEvent) => !t || e.type === t), type);
}

export function loaderIn(page: Page): Locator {
  return page.locator('clip-model-loader');
}

export async function waitForLoaderState(page: Page, state: string, timeout = 120_000): Promise<void> {
  await page.locator(`clip-model-loader[state="${state}"]`).waitFor({ state: 'attached', timeout });
}

/** Types a source into the loader and presses Load. */
export async function loadFrom(page: Page, source: string): Promise<void> {
  await page.locator('clip-model-loader input#source').fill(source);
  await page.locator('clip-model-loader button[type=submit]').click();
}

export interface DropFile {
  name: string;
  type: string;
  url?: string;
  text?: string;
}

/** Dispatches a drop of these files on the element, as a user dragging them from the desktop. */
export async function dropFiles(target: Locator, files: DropFile[]): Promise<void> {
  await target.evaluate(async (el, list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const blob = f.url ? await (await fetch(f.url)).blob() : new Blob([f.text ?? '']);
      dt.items.add(new File([blob], f.name, { type: f.type }));
    }
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true }));
  }, files);
}

export interface ClassifierResult {
  labels: string[];
  probs: number[];
  ranked: { label: string; prob: number }[];
  templates: number;
  newTextEmbeddings: number;
}

/** How many results the page's classifiers have published so far (see resultFor's `after`). */
export function classifiedCount(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as any).clipEvents.filter((e: { type: string }) => e.type === 'clip-classified').length,
  );
}

/**
 * The classifier's result for exactly these labels, published after the first `after` results
 * (so a result from before the last edit or drop is never taken). Needs recordClipEvents.
 */
export async function resultFor(
  page: Page,
  labels: string[],
  after: number,
  extra: { templates?: number } = {},
  timeout = 120_000,
): Promise<ClassifierResult> {
  const handle = await page.waitForFunction(
    ([want, n, templates]) => {
      const events = (window as any).clipEvents.filter((e: { type: string }) => e.type === 'clip-classified');
      const r = events.at(-1)?.detail;
      if (events.length <= n || !r || JSON.stringify(r.labels) !== JSON.stringify(want)) return null;
      if (templates !== undefined && r.templates !== templates) return null;
      return r;
    },
    [labels, after, extra.templates] as const,
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as ClassifierResult;
}

export function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
