// `npm run manifest`: custom-elements.json from the elements' JSDoc and Lit decorators.
export default {
  globs: ['src/playground/components/clip-*/clip-*.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: '.',
  litelement: true,
};
