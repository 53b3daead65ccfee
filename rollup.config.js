// Bundles the action and the CLI into ES modules under dist/, as actions/typescript-action
// does: the runner executes dist/index.js with no node_modules.
//
// One build with two entries, split into chunks: each entry holds only what it needs before
// its first decision (reading inputs, parsing arguments), and imports the heavy rest (Sigstore,
// Octokit, undici) dynamically from dist/chunks/. Start-up of a run that fails on an input is
// then about Node's own; see docs/performance.md. Chunk names carry a content hash, so the same
// sources always give the same files, and stale chunks are removed before each build.
import { rmSync } from 'node:fs'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import esbuild from 'rollup-plugin-esbuild'

const OUT_DIR = 'dist'
const CHUNK_DIR = 'chunks'

/** Removes chunks of earlier builds: their names change with their content. */
function cleanChunks() {
  return {
    name: 'clean-chunks',
    buildStart() {
      rmSync(`${OUT_DIR}/${CHUNK_DIR}`, { recursive: true, force: true })
    },
  }
}

/** @type {import('rollup').RollupOptions} */
export default {
  input: {
    index: 'src/action/main.ts',
    cli: 'src/cli/main.ts',
    withdraw: 'src/withdraw-action/main.ts',
    'verify-action': 'src/verify-action/main.ts',
  },
  output: {
    dir: OUT_DIR,
    format: 'es',
    sourcemap: false,
    entryFileNames: '[name].js',
    chunkFileNames: `${CHUNK_DIR}/[name]-[hash].js`,
    banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
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
    cleanChunks(),
    // Types are checked by `npm run typecheck`; here they are only stripped.
    esbuild({ target: 'node24', tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
  ],
}
