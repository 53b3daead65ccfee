import { mkdir, symlink } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildManifest } from '../../src/manifest/index.ts'
import { InputError } from '../../src/util/errors.ts'
import { listOrEmpty, sha256, workspaceWithOut, writeTree } from './helpers.ts'

// Issue 18, finding 5: with every directory link followed, `ln -s / ws/dist/root` and the
// pattern `dist/**` walked the whole file system (18 s, 420 MB) before confinement refused
// what it found, and the error named `/boot` instead of the link.

/** Far below the walk of a whole file system, far above a walk of a few files under load. */
const FAST_MS = 3000

async function build(workspace: string, outDir: string, patterns: string[]) {
  return buildManifest({ workspace, outDir, patterns, source: {}, sourceDateEpoch: 0 })
}

async function refusal(workspace: string, outDir: string, patterns: string[]) {
  const started = performance.now()
  const error = await build(workspace, outDir, patterns).catch((e: unknown) => e)
  const elapsedMs = performance.now() - started
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe('subject-path')
  expect(await listOrEmpty(outDir)).toEqual([])
  return { message: (error as Error).message, elapsedMs }
}

describe('the subject-path walk never follows a directory link out of the workspace', () => {
  it('a link to / under the walked folder is refused at once, by its name', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/app.zip': 'a', 'dist/sub/b.txt': 'b' })
    await symlink('/', path.join(workspace, 'dist/root'))
    for (const pattern of ['dist/**', 'dist/*/*', '**/*.txt']) {
      const { message, elapsedMs } = await refusal(workspace, outDir, [pattern])
      expect(message).toMatch(
        /'dist\/root' is a symbolic link to a folder outside the workspace \(\/\)/,
      )
      expect(message).not.toMatch(/\/boot|\/etc|\/proc/)
      expect(elapsedMs).toBeLessThan(FAST_MS)
    }
  }, 60_000)

  it('a pattern whose fixed part is itself a link out of the workspace is refused before walking', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await mkdir(path.join(workspace, 'links'))
    await symlink('/', path.join(workspace, 'links/root'))
    const { message, elapsedMs } = await refusal(workspace, outDir, ['links/root/**'])
    expect(message).toMatch(
      /pattern 'links\/root\/\*\*' walks 'links\/root', a symbolic link that resolves outside the workspace \(\/\)/,
    )
    expect(elapsedMs).toBeLessThan(FAST_MS)
  }, 60_000)

  it('a link out that the pattern never walks into does not stop the build', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/app.zip': 'a' })
    await symlink('/', path.join(workspace, 'dist/root'))
    const built = await build(workspace, outDir, ['dist/*.zip'])
    expect(built.manifest.subjects.map((subject) => subject.path)).toEqual(['dist/app.zip'])
    // Excluding the link lets a walk of its folder go on without it.
    const excluded = await build(workspace, outDir, ['dist/**', '!dist/root'])
    expect(excluded.manifest.subjects.map((subject) => subject.path)).toEqual(['dist/app.zip'])
  })

  it('a directory link that stays inside the workspace is still walked', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'build/real.bin': 'real', 'dist/app.zip': 'a' })
    await symlink('../build', path.join(workspace, 'dist/linked'))
    const built = await build(workspace, outDir, ['dist/**'])
    expect(built.manifest.subjects.map((subject) => [subject.path, subject.digest.sha256])).toEqual(
      [
        ['dist/app.zip', sha256('a')],
        ['dist/linked/real.bin', sha256('real')],
      ],
    )
  })
})
