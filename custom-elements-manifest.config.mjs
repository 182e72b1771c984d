// `npm run manifest`: custom-elements.json from the elements' JSDoc and Lit decorators.
export default {
  globs: ['src/playground/components/clip-*/clip-*.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself ("customElements"); the analyzer leaves it alone.
  packagejson: false,
};
