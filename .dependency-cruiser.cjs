/**
 * The import rules of ARCHITECTURE.md, checked by dependency-cruiser (`npm run depcruise`, and in
 * `npm test` by test/package/dependencies.test.ts). Dependencies point one way:
 *   errors <- kernels <- model (tasks in model/*) <- bench API (src/bench) <- node <- cli
 *                                                 <- playground (components)
 * bench/ (the onnxruntime peer and the standalone page) and test/ sit on top and may import src.
 */
/** Code that runs in a page: never Node builtins or src/node. */
const BROWSER = '^src/(errors\\.ts|index\\.ts|bundle\\.ts|kernels/|model/|bench/|playground/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or loaded without the other.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    // Cycles through `import type` cost nothing at run time (TypeScript erases them) but still tie
    // two modules together: reported by `npm run depcruise`; make this an error once none is left.
    {
      name: 'no-circular-through-types',
      severity: 'warn',
      comment: 'A cycle through type-only imports: move the shared type to a module both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'errors-import-nothing',
      severity: 'error',
      comment: 'src/errors.ts is the neutral bottom layer every other layer uses.',
      from: { path: '^src/errors\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'kernels-import-only-errors',
      severity: 'error',
      comment: 'Kernels are the bottom of the engine: they know GPU buffers and shapes, nothing of CLIP, Node or UI.',
      from: { path: '^src/kernels/' },
      to: { path: '^(src/|bench/)', pathNot: '^src/(kernels/|errors\\.ts$)' },
    },
    {
      name: 'model-not-above-itself',
      severity: 'error',
      comment:
        'The model (and the tasks in model/*) runs the same in a page and in Node: no Node, CLI, UI or benchmark code.',
      from: { path: '^src/model/' },
      to: { path: '^(src/(node|cli|playground|bench)/|src/(index|bundle)\\.ts$|bench/)' },
    },
    {
      name: 'bench-api-below-its-users',
      severity: 'error',
      comment: 'The benchmark API (src/bench) is used by the CLI and the playground; it knows neither.',
      from: { path: '^src/bench/' },
      to: { path: '^(src/(node|cli|playground)/|bench/)' },
    },
    {
      name: 'node-not-above-itself',
      severity: 'error',
      comment: 'src/node is the Node platform and entry; the CLI and the playground build on it, not the reverse.',
      from: { path: '^src/node/' },
      to: { path: '^(src/(cli|playground)/|src/bundle\\.ts$|bench/)' },
    },
    {
      name: 'cli-not-to-playground',
      severity: 'error',
      comment: 'The CLI runs in Node: the Lit components are for pages.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(playground/|bundle\\.ts$)' },
    },
    {
      name: 'playground-not-to-kernels',
      severity: 'error',
      comment: 'The UI reaches the GPU only through ClipModel and the benchmark API (DESIGN.md).',
      from: { path: '^src/playground/' },
      to: { path: '^src/kernels/' },
    },
    {
      name: 'components-not-to-siblings',
      severity: 'error',
      comment:
        "A component folder is its room: it imports its own files and components/shared, never another component's folder.",
      from: { path: '^src/playground/components/([^/]+)/' },
      to: { path: '^src/playground/components/[^/]+/', pathNot: '^src/playground/components/($1|shared)/' },
    },
    {
      name: 'src-not-to-bench',
      severity: 'error',
      comment:
        'bench/ holds the onnxruntime peer and the standalone benchmark page; the benchmark API lives in src/bench.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^bench/' },
    },
    // The one exception: the CLI's `bench --peer` loads the onnxruntime peer (bench/peer-ort*) by a
    // dynamic import(), so onnxruntime-web stays a dev dependency the installed CLI never loads.
    {
      name: 'cli-to-bench-only-the-peer',
      severity: 'error',
      comment:
        'src/cli may reach bench/ only for the onnxruntime peer (bench/peer-ort*); the benchmark API is src/bench.',
      from: { path: '^src/cli/' },
      to: { path: '^bench/', pathNot: '^bench/peer-ort[^/]*$' },
    },
    {
      name: 'cli-loads-the-peer-dynamically',
      severity: 'error',
      comment: 'src/cli loads the peer only by a dynamic import() (its types may be imported: they vanish).',
      from: { path: '^src/cli/' },
      to: { path: '^bench/peer-ort[^/]*$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'browser-not-to-node',
      severity: 'error',
      comment: 'Browser code never imports src/node or src/cli (decoding files, Dawn, paths live there).',
      from: { path: BROWSER },
      to: { path: '^src/(node|cli)/' },
    },
    {
      name: 'browser-not-to-node-builtins',
      severity: 'error',
      comment: 'Browser code never imports Node builtins (node:fs, node:path, ...).',
      from: { path: BROWSER },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'The package never depends on its tests.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-dev-deps',
      severity: 'error',
      comment:
        'The installed package has only its dependencies: src may not need a devDependency (onnxruntime-web, vite, ...).',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // `?raw` WGSL imports: resolved through the file part.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
