/**
 * Once per `vitest run`: one private XDG runtime folder for every test process (Dawn's Vulkan loader
 * wants one; src/node/gpu.ts would otherwise make one per process, and worker processes that are
 * terminated never remove theirs), removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  if (process.env.XDG_RUNTIME_DIR) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'clip-webgpu-test-xdg-'));
  process.env.XDG_RUNTIME_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
