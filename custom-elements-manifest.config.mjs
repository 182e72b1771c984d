// `npm run manifest`: custom-elements.json from the elements' JSDoc and Lit decorators.
import { readFileSync } from 'node:fs';

export default {
  globs: ['src/playground/components/clip-*/clip-*.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself ("customElements"); the analyzer leaves it alone.
  packagejson: false,
  // The glob lists files in whatever order the file system answers: sort them, so that the manifest
  // is the same on every run (a test compares it byte for byte).
  overrideModuleCreation: ({ ts, globs }) =>
    [...globs]
      .sort()
      .map((path) => ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2015, true)),
};
