// Bundles the action and the CLI into self-contained ES modules under dist/, as
// actions/typescript-action does: the runner executes dist/index.js with no node_modules.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import esbuild from 'rollup-plugin-esbuild'

/** @returns {import('rollup').RollupOptions} */
function bundle(input, file, banner) {
  return {
    input,
    output: {
      file,
      format: 'es',
      sourcemap: false,
      inlineDynamicImports: true,
      ...(banner ? { banner } : {}),
    },
    // Loaded with a dynamic import only for Negotiate proxy authentication, which needs a native
    // module that cannot be bundled.
    external: ['kerberos'],
    onwarn(warning, warn) {
      // Dependencies (undici, sigstore) use `this` at top level and circular imports: harmless.
      // Bottleneck's optional Redis support uses eval; it is never reached.
      if (['THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY', 'EVAL'].includes(warning.code ?? '')) return
      warn(warning)
    },
    plugins: [
      // Types are checked by `npm run typecheck`; here they are only stripped.
      esbuild({ target: 'node24', tsconfig: './tsconfig.build.json' }),
      nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
      commonjs(),
      json(),
    ],
  }
}

export default [
  bundle('src/action/main.ts', 'dist/index.js'),
  bundle('src/cli/main.ts', 'dist/cli.js', '#!/usr/bin/env node'),
]
