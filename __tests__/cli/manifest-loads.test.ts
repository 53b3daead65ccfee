import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * What the bundled `manifest` command loads before it hashes: each module is start-up time a
 * user pays on every run (issue 15). Runs dist/cli.js, the file users run; CI checks that dist/
 * matches the sources. The checkout's node_modules is beside dist/, as it is for an npm install.
 */
const CLI = resolve(import.meta.dirname, '../../dist/cli.js')
const run = promisify(execFile)

/** Writes, at exit, the built-ins loaded and the CommonJS files required from disk. */
const RECORD_LOADS = `process.on('exit', () => {
  const fs = process.getBuiltinModule('node:fs')
  const required = Object.keys(process.getBuiltinModule('node:module')._cache)
  fs.writeFileSync(process.env.LOADS_FILE, JSON.stringify({ builtins: process.moduleLoadList, required }))
})
`

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-loads-'))
  await writeFile(join(dir, 'app.bin'), 'build\n')
  await writeFile(join(dir, 'record-loads.mjs'), RECORD_LOADS)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function loadsOf(pattern: string): Promise<{ builtins: string[]; required: string[] }> {
  const loadsFile = join(dir, `loads-${Math.random().toString(36).slice(2)}.json`)
  await run(
    process.execPath,
    [
      '--import',
      join(dir, 'record-loads.mjs'),
      CLI,
      'manifest',
      '--base-dir',
      dir,
      '--out-dir',
      join(dir, 'out'),
      pattern,
    ],
    { env: { ...process.env, LOADS_FILE: loadsFile, SOURCE_DATE_EPOCH: '' } },
  )
  return JSON.parse(await readFile(loadsFile, 'utf8')) as { builtins: string[]; required: string[] }
}

describe('the bundled manifest command', () => {
  it.each(['app.bin', '*.bin'])(
    'loads no second picomatch from node_modules, no child_process and no net (%s)',
    async (pattern) => {
      const { builtins, required } = await loadsOf(pattern)
      // fdir's optional require('picomatch') for its unused .glob(): dropped by rollup.config.js.
      expect(required.filter((file) => file.includes(`${'/'}node_modules/`))).toEqual([])
      // git is only run to date a packed directory's entries.
      expect(builtins).not.toContain('NativeModule child_process')
      // Its lines go to fds 1 and 2 directly: process.stdout for a pipe would load net.
      expect(builtins).not.toContain('NativeModule net')
      expect(builtins).toContain('NativeModule crypto')
    },
  )
})
