// `node scripts/fault-matrix.ts`: runs the fault-injection matrix (__tests__/hostile/faults.test.ts)
// and writes its result into docs/reliability.md between the fault-matrix markers, so the
// document shows what the tests last proved rather than what someone remembered.
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const DOC = join(ROOT, 'docs/reliability.md')
const START = '<!-- fault-matrix:start -->'
const END = '<!-- fault-matrix:end -->'

const dir = await mkdtemp(join(tmpdir(), 'fault-matrix-'))
try {
  const out = join(dir, 'matrix.md')
  const vitest = join(ROOT, 'node_modules/.bin/vitest')
  const result = spawnSync(vitest, ['run', '__tests__/hostile/faults.test.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, FAULT_MATRIX_OUT: out },
  })
  if (result.status !== 0) {
    process.stderr.write('The fault matrix tests failed; docs/reliability.md was not changed.\n')
    process.exit(1)
  }
  const matrix = await readFile(out, 'utf8')
  const doc = await readFile(DOC, 'utf8')
  const from = doc.indexOf(START)
  const to = doc.indexOf(END)
  if (from < 0 || to < from) throw new Error(`${DOC} has no ${START} … ${END} block`)
  await writeFile(DOC, `${doc.slice(0, from + START.length)}\n${matrix}\n${doc.slice(to)}`)
  // The project checks formatting: let Prettier lay out the table as it would.
  spawnSync(join(ROOT, 'node_modules/.bin/prettier'), ['--write', DOC], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  process.stdout.write(`Updated ${DOC}\n`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
