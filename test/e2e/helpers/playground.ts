/** One playground per test file: the vite server, Chromium, the tab opened and the tiny model loaded. */
import { afterAll, beforeAll } from 'vitest';
import { launch, type Browser } from './browser.ts';
import { loadFrom, waitForLoaderState } from './page.ts';
import { startTestServer, TINY_ID, type TestServer } from './server.ts';

export interface Playground {
  server: TestServer;
  browser: Browser;
}

/**
 * Registers beforeAll/afterAll: starts the vite test server and Chromium, records every event of
 * `events` reaching window in `window[record]` (installed before page scripts), opens the playground
 * at `#tab` and loads the tiny model. The returned object is filled in by beforeAll.
 */
export function usePlayground(tab: string, record: string, events: string[]): Playground {
  const pg = {} as Playground;
  beforeAll(async () => {
    pg.server = await startTestServer({ vite: true });
    pg.browser = await launch();
    await pg.browser.context.addInitScript(
      ([key, types]: [string, string[]]) => {
        const w = window as unknown as Record<string, { type: string; detail: unknown }[]>;
        w[key] = [];
        for (const type of types)
          window.addEventListener(type, (e) => w[key].push({ type, detail: (e as CustomEvent).detail }));
      },
      [record, events] as [string, string[]],
    );
    await pg.browser.page.goto(
      `${pg.server.url}/?endpoint=${encodeURIComponent(pg.server.url)}&model=${TINY_ID}#${tab}`,
    );
    await loadFrom(pg.browser.page, TINY_ID);
    await waitForLoaderState(pg.browser.page, 'ready');
  });
  afterAll(async () => {
    await pg.browser?.close();
    await pg.server?.close();
  });
  return pg;
}
