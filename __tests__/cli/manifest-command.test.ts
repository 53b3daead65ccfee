import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { hashBytes } from '../../src/util/digest.ts'

const CLI = resolve(import.meta.dirname, '../../src/cli/main.ts')
const run = promisify(execFile)

/** The folders the tests made, removed after each one. */
const made: string[] = []

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-manifest-'))
  made.push(dir)
  await mkdir(join(dir, 'dist'))
  await writeFile(join(dir, 'dist', 'app-linux.bin'), 'linux build\n')
  await writeFile(join(dir, 'dist', 'app-mac.bin'), 'mac build\n')
  return dir
}

describe('immutable-release manifest', () => {
  it('writes the manifest and SHA256SUMS and prints the digest of the manifest on its last line', async () => {
    const dir = await workspace()
    const out = join(dir, 'out')
    const { stdout } = await run(process.execPath, [
      CLI,
      'manifest',
      '--base-dir',
      dir,
      '--out-dir',
      out,
      'dist/*.bin',
    ])
    const lastLine = stdout.trim().split('\n').at(-1)
    const manifestBytes = await readFile(join(out, 'release-manifest.json'))
    expect(lastLine).toBe(`sha256:${hashBytes(manifestBytes)}`)
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as {
      subjects: { name: string; digest: { sha256: string } }[]
    }
    expect(manifest.subjects.map((s) => s.name)).toEqual(['app-linux.bin', 'app-mac.bin'])
    expect(manifest.subjects[0]?.digest.sha256).toBe(hashBytes('linux build\n'))
    const sums = await readFile(join(out, 'SHA256SUMS'), 'utf8')
    expect(sums).toContain(`${hashBytes('mac build\n')}  app-mac.bin`)
    // sha256sum itself accepts the file, run where the artifacts are named.
    await writeFile(join(dir, 'dist', 'SHA256SUMS'), sums)
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(dir, 'dist') })
    expect(check.stdout).toMatch(/app-linux.bin: OK/)
  })

  it('exits 2 naming the pattern when nothing matches, and writes nothing', async () => {
    const dir = await workspace()
    const out = join(dir, 'out')
    const error = await run(process.execPath, [
      CLI,
      'manifest',
      '--base-dir',
      dir,
      '--out-dir',
      out,
      'nothing/*.zip',
    ]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    )
    expect(error?.code).toBe(2)
    expect(error?.stderr).toContain('nothing/*.zip')
    expect(await readdir(out).catch(() => [])).toEqual([])
  })

  it('exits 2 with the usage for an unknown command', async () => {
    const error = await run(process.execPath, [CLI, 'frobnicate']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    )
    expect(error?.code).toBe(2)
    expect(error?.stderr).toContain('Usage:')
  })
})
