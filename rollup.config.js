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

/**
 * fdir (tinyglobby's walker) tries `require('picomatch')` when it loads, for its own `.glob()`
 * method, which tinyglobby never calls (it brings its own bundled picomatch). Where a
 * node_modules folder is beside dist/ (a checkout, an npm install of the CLI) that loaded a
 * second copy of picomatch from disk on every run: 4-5 ms before the first file. The bundle
 * drops the attempt; the build fails if fdir's code no longer has it, rather than let the
 * replacement silently stop applying.
 */
function withoutFdirOptionalPicomatch() {
  const attempt =
    /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/
  return {
    name: 'without-fdir-optional-picomatch',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]fdir[\\/]dist[\\/]index\.mjs$/.test(id)) return null
      if (!attempt.test(code)) {
        this.error(`fdir (${id}) no longer loads picomatch the way rollup.config.js expects`)
      }
      return { code: code.replace(attempt, '/* picomatch: see rollup.config.js */'), map: null }
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
    withoutFdirOptionalPicomatch(),
    // Types are checked by `npm run typecheck`; here they are only stripped.
    esbuild({ target: 'node24', tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
  ],
}
