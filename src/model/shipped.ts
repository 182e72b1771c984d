/**
 * The model that ships with the package (`weights/shapes-clip/`, trained on the procedural world):
 * what `ClipModel.load()` loads when no source is given. Browser-safe; Node finds the folder on disk
 * (src/node/shipped-model.ts).
 */

/** The shipped model's folder name under the package's `weights/`. */
export const SHIPPED_MODEL = 'shapes-clip';

let override: string | null = null;

/**
 * The shipped model's folder URL in a page, ending in "/". By default it is found beside the code:
 * the bundle (`dist/clip-webgpu.js`) looks one folder up, in the package's `weights/`; the source
 * module under `npm run dev` (`/src/model/shipped.ts`) two folders up. A page that serves the
 * folder elsewhere (or bundles this code into its own chunks) says where with setShippedModelUrl().
 */
export function shippedModelUrl(): string {
  if (override) return override;
  const here = new URL(import.meta.url);
  const up = /\/src\/model\/[^/]+$/.test(here.pathname) ? '../../' : '../';
  // A plain string, not a literal inside new URL(): bundlers would try to inline the folder.
  const relative = `${up}weights/${SHIPPED_MODEL}/`;
  return new URL(relative, here).href;
}

/** Serve the shipped model from another folder URL (absolute or page-relative); null restores the default. */
export function setShippedModelUrl(url: string | URL | null): void {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  override = url === null ? null : new URL(String(url), base).href.replace(/\/?$/, '/');
}

/** True when `source` (a URL, absolute or page-relative) names the shipped model's folder. */
export function isShippedModelUrl(source: string): boolean {
  try {
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    const folder = new URL(source.trim(), base).href.replace(/[?#].*$/, '').replace(/\/?$/, '/');
    return folder === shippedModelUrl();
  } catch {
    return false;
  }
}
