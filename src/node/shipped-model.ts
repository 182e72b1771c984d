/**
 * Where the shipped model lives on disk: `weights/shapes-clip/` in the package root, found by walking
 * up from this module to the clip-webgpu package.json. The same walk works from src/ (tests, tsx),
 * from dist/node/ and dist/cli/ (the bundles), and from an installed package in node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClipError } from '../errors.ts';
import { SHIPPED_MODEL } from '../model/shipped.ts';

const PACKAGE_NAME = 'clip-webgpu';

function isOurPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The package root above `from` (a module URL). */
export function packageRoot(from: string = import.meta.url): string {
  const start = dirname(fileURLToPath(from));
  for (let dir = start; ; dir = dirname(dir)) {
    if (isOurPackage(dir)) return dir;
    if (dirname(dir) === dir) {
      throw new ClipError(
        'not-found',
        `No ${PACKAGE_NAME} package.json above ${start}: cannot find the shipped model.`,
      );
    }
  }
}

/** The shipped model's folder; a clear error when it is missing (a checkout without the weights). */
export function shippedModelPath(from: string = import.meta.url): string {
  const dir = join(packageRoot(from), 'weights', SHIPPED_MODEL);
  if (!existsSync(join(dir, 'model.safetensors'))) {
    throw new ClipError(
      'not-found',
      `The shipped model is missing: ${dir} has no model.safetensors. Name a model instead ` +
        '(a folder path, or a URL), e.g. one from `npx clip-webgpu download openai/clip-vit-base-patch32`.',
    );
  }
  return dir;
}
