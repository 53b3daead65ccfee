// Bundles the action and the CLI into self-contained ES modules under dist/, as
// actions/typescript-action does: the runner executes dist/index.js with no node_modules.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import type { RollupOptions } from 'rollup'

function bundle(input: string, file: string, banner?: string): RollupOptions {
  return {
    input,
    output: {
      file,
      format: 'es',
      sourcemap: false,
      inlineDynamicImports: true,
      ...(banner ? { banner } : {}),
    },
    onwarn(warning, warn) {
      // Dependencies (undici, sigstore) use `this` at top level and circular imports: harmless.
      if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
      warn(warning)
    },
    plugins: [
      typescript({ tsconfig: './tsconfig.build.json' }),
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
