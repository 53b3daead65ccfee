import { execFile } from 'node:child_process'
import { mkdir, symlink } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { buildManifest } from '../../src/manifest/index.ts'
import type { ManifestOptions } from '../../src/manifest/build.ts'
import { RELEASE_METADATA_FILES } from '../../src/util/release-files.ts'
import { InputError } from '../../src/util/errors.ts'
import { listOrEmpty, tempDir, workspaceWithOut, writeTree } from './helpers.ts'

/** Builds, expecting an InputError for `subject-path`; checks nothing was left in outDir. */
async function expectRejected(
  options: Omit<ManifestOptions, 'source' | 'sourceDateEpoch'>,
  message: RegExp,
): Promise<void> {
  const error = await buildManifest({ ...options, source: {}, sourceDateEpoch: 0 }).catch(
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe('subject-path')
  expect((error as Error).message).toMatch(/^Input 'subject-path': /)
  expect((error as Error).message).toMatch(message)
  expect(await listOrEmpty(options.outDir)).toEqual([])
}

describe('buildManifest rejects bad subject-path input and writes nothing', () => {
  it('a pattern that matches nothing, naming the pattern', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/a.zip': 'a', 'site/index.html': 'x' })
    await expectRejected(
      { workspace, outDir, patterns: ['site', 'dist/*.zip', 'dist/*.tar.gz'] },
      /pattern 'dist\/\*\.tar\.gz' matches no file/,
    )
    await expectRejected(
      { workspace, outDir, patterns: ['missing.txt'] },
      /cannot read 'missing.txt'.*ENOENT/,
    )
    await expectRejected(
      { workspace, outDir, patterns: ['dist/*.zip', '!dist/a.zip'] },
      /pattern 'dist\/\*\.zip' matches no file in the workspace \(after excludes\)/,
    )
  })

  it('a path outside the workspace, by spelling or through a symbolic link', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    const outside = await tempDir('outside-')
    await writeTree(outside, { 'secret.txt': 'secret', 'dir/x.txt': 'x' })
    await writeTree(workspace, { 'dist/ok.txt': 'ok' })
    await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'dist/leak.txt'))
    await symlink(path.join(outside, 'dir'), path.join(workspace, 'linked-dir'))
    await expectRejected(
      { workspace, outDir, patterns: [path.relative(workspace, path.join(outside, 'secret.txt'))] },
      /resolves outside the workspace/,
    )
    await expectRejected(
      { workspace, outDir, patterns: [path.join(outside, 'secret.txt')] },
      /resolves outside the workspace/,
    )
    await expectRejected(
      { workspace, outDir, patterns: ['dist/*'] },
      /'dist\/leak.txt' \(matched by 'dist\/\*'\) \(dist\/leak.txt\) is a symbolic link that resolves outside the workspace/,
    )
    await expectRejected(
      { workspace, outDir, patterns: ['linked-dir/*.txt'] },
      /symbolic link that resolves outside the workspace/,
    )
  })

  it('a wildcard pattern that starts outside the workspace, before walking anything', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/app.zip': 'a' })
    for (const pattern of ['/**/app.zip', '//**/app.zip', '../**/app.zip', 'dist/../../*']) {
      await expectRejected(
        { workspace, outDir, patterns: [pattern] },
        /starts outside the workspace .*may not leave it/,
      )
    }
  })

  it('two artifacts with the same base name, naming both paths', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, {
      'linux/app.zip': 'l',
      'mac/app.zip': 'm',
      'web/index.html': 'w',
      'other/web.tar.gz': 'not a tar',
    })
    await expectRejected(
      { workspace, outDir, patterns: ['*/app.zip'] },
      /'linux\/app.zip' and 'mac\/app.zip' would both be released as app.zip/,
    )
    // A directory's tarball collides with a file of the tarball's name.
    await expectRejected(
      { workspace, outDir, patterns: ['web', 'other/web.tar.gz'] },
      /'other\/web.tar.gz' and 'web' would both be released as web.tar.gz/,
    )
  })

  it.each(RELEASE_METADATA_FILES)('an artifact named %s, reserved for the action', async (name) => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { [`dist/${name}`]: 'x', 'dist/ok.bin': 'ok' })
    await expectRejected(
      { workspace, outDir, patterns: ['dist/*'] },
      new RegExp(`would be released as ${name.replace(/\./g, '\\.')}, a name the action uses`),
    )
  })

  it('an unreadable file: a dangling link, a named pipe', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/ok.bin': 'ok' })
    await symlink('nowhere.bin', path.join(workspace, 'dist/dangling.bin'))
    await expectRejected(
      { workspace, outDir, patterns: ['dist/dangling.bin'] },
      /cannot read 'dist\/dangling.bin' \(dist\/dangling.bin\): ENOENT/,
    )
    await mkdir(path.join(workspace, 'pipes'))
    await promisify(execFile)('mkfifo', [path.join(workspace, 'pipes/fifo.bin')])
    await expectRejected(
      { workspace, outDir, patterns: ['pipes/fifo.bin'] },
      /'pipes\/fifo.bin' \(pipes\/fifo.bin\) is neither a regular file nor a directory/,
    )
  })

  it('a name that SHA256SUMS would have to escape', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/new\nline.bin': 'x', 'dist/back\\slash.bin': 'y' })
    await expectRejected(
      { workspace, outDir, patterns: ['dist/new*'] },
      /has a backslash or line break in its name/,
    )
    await expectRejected(
      { workspace, outDir, patterns: ['dist/back*'] },
      /has a backslash or line break in its name/,
    )
  })

  it('an empty subject list', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await expectRejected({ workspace, outDir, patterns: [] }, /no subjects to release/)
    await expectRejected({ workspace, outDir, patterns: ['!*.zip'] }, /no subjects to release/)
  })

  it('a directory whose tarball would land inside itself', async () => {
    const { workspace } = await workspaceWithOut()
    await writeTree(workspace, { 'dist/a.txt': 'a' })
    const outDir = path.join(workspace, 'dist', 'out')
    await expectRejected({ workspace, outDir, patterns: ['dist'] }, /contains the output folder/)
  })

  it('a directory holding a link out of it, removing tarballs already made', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'aaa/fine.txt': 'fine', 'zzz/file.txt': 'z', 'zzz/sub/x': 'x' })
    await symlink('../../aaa/fine.txt', path.join(workspace, 'zzz/sub/escape'))
    await expectRejected(
      { workspace, outDir, patterns: ['aaa', 'zzz'] },
      /directory 'zzz' contains a symbolic link sub\/escape -> \.\.\/\.\.\/aaa\/fine.txt that points outside the directory/,
    )
  })
})
