// Issue 18, finding 6: the hash worker and the tarball writer open what the listing saw, never
// a symbolic link swapped in later, and refuse a hard link whose other names are outside.
import { randomBytes } from 'node:crypto'
import { link, lstat, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildManifest } from '../../src/manifest/build.ts'
import { hashFiles } from '../../src/manifest/hash-pool.ts'
import { createReproducibleTarball } from '../../src/manifest/tarball.ts'
import { InputError } from '../../src/util/errors.ts'
import { exec, sha256, tempDir, workspaceWithOut, writeTree } from './helpers.ts'

const build = (workspace: string, outDir: string, patterns: string[]) =>
  buildManifest({ workspace, patterns, source: {}, outDir, sourceDateEpoch: 0 })

describe('the hash worker opens only the file it was given', () => {
  it('does not follow a symbolic link (one swapped in after the listing)', async () => {
    const dir = await tempDir()
    await writeTree(dir, { 'secret.txt': 'not for release', 'app.bin': 'app' })
    await rm(path.join(dir, 'app.bin'))
    await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'app.bin'))
    const [outcome] = await hashFiles([{ path: path.join(dir, 'app.bin'), algorithms: ['sha256'] }])
    expect(outcome?.error?.code).toBe('ELOOP')
    expect(outcome?.digests).toEqual({})
  })

  it('refuses another file renamed over the listed one (device and inode differ)', async () => {
    const dir = await tempDir()
    await writeTree(dir, { 'app.bin': 'listed', 'other.bin': 'other' })
    const listed = await stat(path.join(dir, 'app.bin'))
    // Written before the old one goes, so that it cannot get the old inode number back.
    await writeTree(dir, { 'app.new': 'swapped in' })
    await rename(path.join(dir, 'app.new'), path.join(dir, 'app.bin'))
    const [swapped, same] = await hashFiles([
      {
        path: path.join(dir, 'app.bin'),
        algorithms: ['sha256'],
        identity: { dev: listed.dev, ino: listed.ino },
      },
      {
        path: path.join(dir, 'other.bin'),
        algorithms: ['sha256'],
        identity: await identityOf(path.join(dir, 'other.bin')),
      },
    ])
    expect(swapped?.error?.code).toBe('ECHANGED')
    expect(same?.digests.sha256).toBe(sha256('other'))
  })
})

describe('buildManifest and links', () => {
  it('still releases a symbolic link that stays inside the workspace, hashing its target', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'build/app.bin': 'the app' })
    await symlink('build/app.bin', path.join(workspace, 'dist-app.bin'))
    const built = await build(workspace, outDir, ['dist-app.bin'])
    expect(built.subjects.map((s) => [s.name, s.digest.sha256])).toEqual([
      ['dist-app.bin', sha256('the app')],
    ])
  })

  it('refuses a hard link to a file outside the workspace, naming it', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    const outside = path.join(path.dirname(workspace), 'passwd')
    await writeFile(outside, 'root:x:0:0')
    await writeTree(workspace, { 'dist/app.bin': 'app' })
    await link(outside, path.join(workspace, 'dist/hard'))
    const refused = build(workspace, outDir, ['dist/*'])
    await expect(refused).rejects.toBeInstanceOf(InputError)
    await expect(refused).rejects.toThrow(/'dist\/hard' is a hard link.*outside the workspace/)
  })

  it('releases hard links whose every name is inside the workspace', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'target/deps/app-1a2b': 'binary' })
    await link(path.join(workspace, 'target/deps/app-1a2b'), path.join(workspace, 'app'))
    const built = await build(workspace, outDir, ['app'])
    expect(built.subjects[0]?.digest.sha256).toBe(sha256('binary'))
  })
})

describe('reproducible tarballs and links', () => {
  it('refuses a hard link whose other name is outside the workspace', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    const outside = path.join(path.dirname(workspace), 'passwd')
    await writeFile(outside, 'root:x:0:0')
    await writeTree(workspace, { 'site/index.html': '<p>hi</p>' })
    await link(outside, path.join(workspace, 'site/hard'))
    await expect(build(workspace, outDir, ['site'])).rejects.toThrow(
      /directory 'site' contains hard, a hard link with 2 names, some outside the workspace/,
    )
  })

  it('packs hard links whose names are all inside the directory or the workspace', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'site/a.txt': 'same file', 'cache/b.txt': 'cached' })
    await link(path.join(workspace, 'site/a.txt'), path.join(workspace, 'site/a-again.txt'))
    await link(path.join(workspace, 'cache/b.txt'), path.join(workspace, 'site/b.txt'))
    const built = await build(workspace, outDir, ['site'])
    const { stdout } = await exec('tar', ['-xOzf', built.subjects[0]?.localPath as string])
    expect(stdout).toBe('same filesame filecached')
  })

  it('refuses a file swapped for a symbolic link while an earlier file is being packed', async () => {
    const dir = await tempDir()
    const tree = path.join(dir, 'tree')
    const secret = path.join(dir, 'secret')
    // b.bin and the secret have the same size, so only the link check can tell them apart.
    await writeTree(dir, { 'tree/a.bin': randomBytes(48 * 1024 * 1024), 'tree/b.bin': 'public' })
    await writeFile(secret, 'secret')
    const outFile = path.join(dir, 'out.tar.gz')
    const packing = createReproducibleTarball({
      directory: tree,
      outFile,
      sourceDateEpoch: 0,
      displayPath: 'tree',
    })
    // Swap once the first compressed bytes are out: a.bin is being read, b.bin was listed.
    let swapped = false
    const swapper = setInterval(() => {
      void lstat(outFile)
        .then(async (info) => {
          if (swapped || info.size === 0) return
          swapped = true
          await rm(path.join(tree, 'b.bin'))
          await symlink(secret, path.join(tree, 'b.bin'))
        })
        .catch(() => {})
    }, 1)
    try {
      await expect(packing).rejects.toThrow(/b\.bin changed .*while its directory was being packed/)
    } finally {
      clearInterval(swapper)
    }
    expect(swapped).toBe(true)
  })
})

async function identityOf(file: string): Promise<{ dev: number; ino: number }> {
  const info = await stat(file)
  return { dev: info.dev, ino: info.ino }
}
