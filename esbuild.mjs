// Bundles the extension into two CommonJS files: dist/extension.js, the extension's own code, and
// dist/undici.js, the HTTP library, which is most of the code. The extension requires undici.js only
// when it sends its first request, so activation loads and compiles the small file alone.
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Resolves every `undici` import of the extension to the separate bundle, next to extension.js at runtime. */
const undiciBundle = {
  name: 'undici-bundle',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/**
 * Makes the bundle require `vscode` once. Without it, each of the ~40 modules that import `vscode` gets
 * its own `require('vscode')` wrapped in a copy of every property of the API object, which cost about
 * 8 ms of activation in VS Code 1.100's extension host. Here the modules share one re-export of it.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: true,
  sourcesContent: !production,
  legalComments: 'none',
  // Error classes name themselves from `new.target.name`; the log shows those names, so minifying must keep them.
  keepNames: true,
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [vscodeOnce, undiciBundle] },
  { ...common, entryPoints: ['node_modules/undici/index.js'], outfile: 'dist/undici.js' },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
