import { chmod, readFile, readlink, stat, symlink, utimes, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildManifest } from '../../src/manifest/index.ts'
import { exec, sha256, tempDir, workspaceWithOut, writeTree } from './helpers.ts'

const EPOCH = 1_700_000_000 // 2023-11-14 22:13:20 UTC
const LONG_NAME = `${'deep/'.repeat(25)}${'n'.repeat(120)}.txt`

async function makeSite(workspace: string, variant: number): Promise<void> {
  await writeTree(workspace, {
    'site/index.html': '<h1>hello</h1>\n',
    'site/bin/run.sh': '#!/bin/sh\necho run\n',
    'site/b-c.txt': 'sorts before b/',
    'site/b/inner.txt': 'inner',
    'site/ünï.txt': 'unicode name',
    [`site/${LONG_NAME}`]: 'long path',
    'site/big.bin': Buffer.alloc(3 * 1024 * 1024 + 5, 7),
  })
  await mkdir(path.join(workspace, 'site/empty'), { recursive: true })
  await chmod(path.join(workspace, 'site/bin/run.sh'), variant === 0 ? 0o755 : 0o700)
  await chmod(path.join(workspace, 'site/index.html'), variant === 0 ? 0o644 : 0o600)
  await symlink('../index.html', path.join(workspace, 'site/b/link-to-index'))
  // Different file times on each tree: they must not reach the tarball.
  const when = new Date((EPOCH + 12_345 * (variant + 1)) * 1000)
  await utimes(path.join(workspace, 'site/index.html'), when, when)
}

describe('directory subjects become reproducible tarballs', () => {
  it('are byte-identical across runs and trees, and GNU tar lists and extracts them', async () => {
    const runs = []
    for (const variant of [0, 1]) {
      const { workspace, outDir } = await workspaceWithOut()
      await makeSite(workspace, variant)
      const built = await buildManifest({
        workspace,
        patterns: ['site'],
        source: {},
        outDir,
        sourceDateEpoch: EPOCH,
      })
      runs.push({ workspace, outDir, built })
    }
    const [first, second] = runs as [(typeof runs)[0], (typeof runs)[0]]
    const tarball = path.join(first.outDir, 'site.tar.gz')
    const bytes = await readFile(tarball)
    expect((await readFile(path.join(second.outDir, 'site.tar.gz'))).equals(bytes)).toBe(true)
    expect(second.built.digest).toBe(first.built.digest)

    // gzip header: deflate, no flags (so no file name), mtime 0, OS byte 3 (Unix).
    expect([...bytes.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0])
    expect(bytes.readUInt32LE(4)).toBe(0)
    expect(bytes[9]).toBe(3)

    const subject = first.built.subjects[0]
    expect(subject).toMatchObject({
      name: 'site.tar.gz',
      path: 'site',
      size: bytes.length,
      mediaType: 'application/gzip',
      digest: { sha256: sha256(bytes) },
      source: 'directory',
      localPath: tarball,
    })

    const { stdout: listing } = await exec(
      'tar',
      ['--full-time', '--quoting-style=literal', '-tzvf', tarball],
      { env: { ...process.env, TZ: 'UTC' } },
    )
    const rows = listing
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/))
    const names = rows.map((row) => row.slice(5).join(' '))
    expect(names).toEqual([
      'site/',
      'site/b-c.txt', // '-' (0x2d) sorts before '/' (0x2f)
      'site/b/',
      'site/b/inner.txt',
      'site/b/link-to-index -> ../index.html',
      'site/big.bin',
      'site/bin/',
      'site/bin/run.sh',
      ...LONG_NAME.split('/')
        .slice(0, -1)
        .map((_, i, parts) => `site/${parts.slice(0, i + 1).join('/')}/`),
      `site/${LONG_NAME}`,
      'site/empty/',
      'site/index.html',
      'site/ünï.txt',
    ])
    const modeOf = (name: string): string | undefined => rows[names.indexOf(name)]?.[0]
    expect(modeOf('site/')).toBe('drwxr-xr-x')
    expect(modeOf('site/bin/run.sh')).toBe('-rwxr-xr-x')
    expect(modeOf('site/index.html')).toBe('-rw-r--r--')
    expect(modeOf('site/b/link-to-index -> ../index.html')).toBe('lrwxrwxrwx')
    for (const row of rows) {
      expect(row[1]).toBe('0/0')
      expect(`${row[3]} ${row[4]}`).toBe('2023-11-14 22:13:20')
    }
    // Entry order is byte order of the names, as the scan of the archive reports it too.
    const members = subject?.archive?.members.map((m) => m.path) ?? []
    expect(members).toEqual(
      [...members].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    )
    expect(subject?.archive?.members.find((m) => m.path === 'site/index.html')).toEqual({
      path: 'site/index.html',
      type: 'file',
      size: 15,
      sha256: sha256('<h1>hello</h1>\n'),
    })
    expect(subject?.archive?.flags).toEqual([])

    const extracted = await tempDir('extract-')
    await exec('tar', ['-xzf', tarball, '-C', extracted])
    const source = path.join(first.workspace, 'site')
    for (const relative of [
      'index.html',
      'bin/run.sh',
      'b/inner.txt',
      'ünï.txt',
      LONG_NAME,
      'big.bin',
    ]) {
      expect(
        (await readFile(path.join(extracted, 'site', relative))).equals(
          await readFile(path.join(source, relative)),
        ),
      ).toBe(true)
    }
    expect((await stat(path.join(extracted, 'site/bin/run.sh'))).mode & 0o777).toBe(0o755)
    expect((await stat(path.join(extracted, 'site/index.html'))).mtimeMs).toBe(EPOCH * 1000)
    expect(await readlink(path.join(extracted, 'site/b/link-to-index'))).toBe('../index.html')
    expect((await stat(path.join(extracted, 'site/empty'))).isDirectory()).toBe(true)
  })

  it('stamps entries with the given SOURCE_DATE_EPOCH, changing the bytes with it', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'pkg/a.txt': 'a' })
    const one = await buildManifest({
      workspace,
      patterns: ['pkg'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    const two = await buildManifest({
      workspace,
      patterns: ['pkg'],
      source: {},
      outDir: path.join(outDir, 'second'),
      sourceDateEpoch: 86_400,
    })
    expect(two.subjects[0]?.digest.sha256).not.toBe(one.subjects[0]?.digest.sha256)
    const { stdout } = await exec(
      'tar',
      ['--full-time', '-tzvf', path.join(outDir, 'second', 'pkg.tar.gz')],
      { env: { ...process.env, TZ: 'UTC' } },
    )
    expect(stdout).toContain('1970-01-02 00:00:00')
  })

  it('packs a directory that a wildcard names, but not ones it only walks through', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, {
      'dist/linux/app': 'l',
      'dist/notes.txt': 'n',
      'docs/guide/a.md': 'a',
      'docs/guide/b.md': 'b',
    })
    const built = await buildManifest({
      workspace,
      patterns: ['dist/*', 'docs/**'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    expect(built.manifest.subjects.map((s) => [s.name, s.path, s.source])).toEqual([
      ['a.md', 'docs/guide/a.md', 'file'],
      ['b.md', 'docs/guide/b.md', 'file'],
      ['linux.tar.gz', 'dist/linux', 'directory'],
      ['notes.txt', 'dist/notes.txt', 'file'],
    ])
  })
})
