/**
 * A project that installs clip-webgpu as its users do: `npm pack` of this repository (prepack builds
 * everything), then the tarball installed into an empty folder. Installing needs no network: the
 * folder gets a lockfile with this repository's locked versions of the package's dependencies, so
 * `npm ci --offline` takes them from npm's cache (filled by this repository's own install); only when
 * the cache lacks one does it ask the registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
  [k: string]: unknown;
}

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** `npm pack` into `dir`; returns the tarball's file name and the files it holds. */
export function pack(dir: string): { tarball: string; files: string[] } {
  const out = npm(['pack', '--json', '--pack-destination', dir], ROOT);
  // prepack's build logs come first on stdout; npm's JSON report is the last thing.
  const [info] = JSON.parse(out.slice(out.search(/^\[$/m)));
  return { tarball: info.filename, files: info.files.map((f: { path: string }) => f.path) };
}

/** The lock entries of `names` and everything they depend on, from this repository's lockfile. */
function lockedClosure(names: string[]): Record<string, LockEntry> {
  const packages: Record<string, LockEntry> = JSON.parse(
    readFileSync(join(ROOT, 'package-lock.json'), 'utf8'),
  ).packages;
  const out: Record<string, LockEntry> = {};
  // Node's lookup: the nearest node_modules/<name> from `from` upwards.
  const locate = (from: string, name: string): string => {
    for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
      const key = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (packages[key]) return key;
      if (!at) throw new Error(`package-lock.json has no ${name} for ${from || 'the root'}: run npm install`);
    }
  };
  const visit = (from: string, deps: Record<string, string> = {}) => {
    for (const name of Object.keys(deps)) {
      const key = locate(from, name);
      if (out[key]) continue;
      const { dev: _dev, devOptional: _devOptional, ...entry } = packages[key];
      out[key] = entry;
      visit(key, { ...entry.dependencies, ...entry.optionalDependencies });
    }
  };
  visit('', Object.fromEntries(names.map((n) => [n, ''])));
  return out;
}

/** An empty project in `dir` with the packed tarball installed; returns the project folder. */
export function installPacked(dir: string, tarball: string): string {
  const project = join(dir, 'consumer');
  mkdirSync(project);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const spec = `file:../${tarball}`;
  const pkg = {
    name: 'clip-webgpu-consumer',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies: { 'clip-webgpu': spec },
  };
  writeFileSync(join(project, 'package.json'), JSON.stringify(pkg, null, 2));
  const lock = {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies },
      'node_modules/clip-webgpu': {
        version: manifest.version,
        resolved: spec,
        license: manifest.license,
        dependencies: manifest.dependencies,
        bin: manifest.bin,
        engines: manifest.engines,
      },
      ...lockedClosure(Object.keys(manifest.dependencies)),
    },
  };
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  try {
    npm(['ci', '--offline'], project);
  } catch {
    npm(['ci', '--prefer-offline'], project); // a cache without one of them: the registry has it
  }
  return project;
}
