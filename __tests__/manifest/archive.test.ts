import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import * as tar from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { buildManifest } from '../../src/manifest/index.ts'
import { InputError } from '../../src/util/errors.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { exec, listOrEmpty, sha256, workspaceWithOut, writeTree } from './helpers.ts'

type Entry = { header: Parameters<tar.Pack['entry']>[0]; body?: Buffer }

/** Writes a tar (gzip-compressed when the name says so) with exactly these entries. */
async function writeArchive(file: string, entries: Entry[]): Promise<void> {
  const pack = tar.pack()
  const stages: NodeJS.ReadWriteStream[] = /\.(tar\.gz|tgz)$/.test(file) ? [createGzip()] : []
  const done = (pipeline as unknown as (...s: unknown[]) => Promise<void>)(
    pack,
    ...stages,
    createWriteStream(file),
  )
  for (const { header, body } of entries) {
    await new Promise<void>((resolve, reject) => {
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve())
      if (body) pack.entry({ mtime: new Date(0), ...header }, body, callback)
      else pack.entry({ mtime: new Date(0), ...header }, callback)
    })
  }
  pack.finalize()
  await done
}

const hostile: Entry[] = [
  { header: { name: 'ok.txt' }, body: Buffer.from('fine') },
  { header: { name: 'dir/', type: 'directory' } },
  { header: { name: 'dir/fine-link', type: 'symlink', linkname: '../ok.txt' } },
  { header: { name: 'dir/fine-hard', type: 'link', linkname: 'ok.txt' } },
  { header: { name: '/etc/cron.d/evil' }, body: Buffer.from('x') },
  { header: { name: '../escape.txt' }, body: Buffer.from('y') },
  { header: { name: 'dir/../../up.txt' }, body: Buffer.from('z') },
  { header: { name: 'abs-link', type: 'symlink', linkname: '/etc/passwd' } },
  { header: { name: 'dir/out-link', type: 'symlink', linkname: '../../outside' } },
  { header: { name: 'hard-out', type: 'link', linkname: '../outside' } },
  { header: { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 } },
  { header: { name: 'disk', type: 'block-device', devmajor: 8, devminor: 0 } },
  { header: { name: 'pipe', type: 'fifo' } },
]

describe('tar artifacts are listed with their members', () => {
  it.each(['bundle.tar.gz', 'bundle.tgz', 'bundle.tar'])(
    '%s: members, their hashes and the unsafe ones',
    async (name) => {
      const { workspace, outDir } = await workspaceWithOut()
      await writeArchive(path.join(workspace, name), hostile)
      const reporter = new RecordingReporter()
      const built = await buildManifest({
        workspace,
        patterns: [name],
        source: {},
        outDir,
        sourceDateEpoch: 0,
        reporter,
      })
      const subject = built.manifest.subjects[0]
      expect(subject?.archive?.members).toEqual([
        { path: 'ok.txt', type: 'file', size: 4, sha256: sha256('fine') },
        { path: 'dir/', type: 'directory', size: 0 },
        { path: 'dir/fine-link', type: 'symlink', size: 0, linkTarget: '../ok.txt' },
        { path: 'dir/fine-hard', type: 'link', size: 0, linkTarget: 'ok.txt' },
        { path: '/etc/cron.d/evil', type: 'file', size: 1, sha256: sha256('x') },
        { path: '../escape.txt', type: 'file', size: 1, sha256: sha256('y') },
        { path: 'dir/../../up.txt', type: 'file', size: 1, sha256: sha256('z') },
        { path: 'abs-link', type: 'symlink', size: 0, linkTarget: '/etc/passwd' },
        { path: 'dir/out-link', type: 'symlink', size: 0, linkTarget: '../../outside' },
        { path: 'hard-out', type: 'link', size: 0, linkTarget: '../outside' },
        { path: 'null', type: 'character-device', size: 0 },
        { path: 'disk', type: 'block-device', size: 0 },
        { path: 'pipe', type: 'fifo', size: 0 },
      ])
      expect(subject?.archive?.flags).toEqual([
        { path: '/etc/cron.d/evil', reason: 'absolute path' },
        { path: '../escape.txt', reason: 'path with a parent-directory (..) segment' },
        { path: 'dir/../../up.txt', reason: 'path with a parent-directory (..) segment' },
        { path: 'abs-link', reason: 'symbolic link to an absolute path (/etc/passwd)' },
        {
          path: 'dir/out-link',
          reason: 'symbolic link pointing outside the archive (../../outside)',
        },
        { path: 'hard-out', reason: 'hard link pointing outside the archive (../outside)' },
        { path: 'null', reason: 'device node' },
        { path: 'disk', reason: 'device node' },
        { path: 'pipe', reason: 'named pipe (FIFO)' },
      ])
      expect(reporter.warnings).toHaveLength(1)
      expect(reporter.warnings[0]).toMatch(
        new RegExp(
          `^Archive ${name.replace('.', '\\.')} has 9 member\\(s\\) unsafe to extract: /etc/cron.d/evil \\(absolute path\\)`,
        ),
      )
      expect(reporter.warnings[0]).toContain('and 4 more')
    },
  )

  it('lists an archive made by GNU tar and hashes the file itself', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, {
      'src/a.txt': 'alpha',
      'src/nested/b.bin': Buffer.alloc(2 * 1024 * 1024 + 3, 1),
    })
    await exec('tar', ['-czf', 'dist.tgz', '-C', 'src', 'a.txt', 'nested'], { cwd: workspace })
    const built = await buildManifest({
      workspace,
      patterns: ['dist.tgz'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    const { stdout } = await exec('sha256sum', ['dist.tgz'], { cwd: workspace })
    expect(built.subjects[0]?.digest.sha256).toBe(stdout.slice(0, 64))
    expect(built.subjects[0]?.archive).toEqual({
      members: [
        { path: 'a.txt', type: 'file', size: 5, sha256: sha256('alpha') },
        { path: 'nested/', type: 'directory', size: 0 },
        {
          path: 'nested/b.bin',
          type: 'file',
          size: 2 * 1024 * 1024 + 3,
          sha256: sha256(Buffer.alloc(2 * 1024 * 1024 + 3, 1)),
        },
      ],
      flags: [],
    })
  })
})

describe('the archive scan stops at its limits', () => {
  async function expectLimit(
    name: string,
    entries: Entry[],
    limits: object,
    message: RegExp,
  ): Promise<void> {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'site/index.html': 'packed first, then removed' })
    await writeArchive(path.join(workspace, name), entries)
    const error = await buildManifest({
      workspace,
      patterns: ['site', name],
      source: {},
      outDir,
      sourceDateEpoch: 0,
      archiveLimits: limits,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('subject-path')
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Input 'subject-path': '${name.replace(/\./g, '\\.')}': archive ${name.replace(/\./g, '\\.')} `,
      ),
    )
    expect((error as Error).message).toMatch(message)
    expect(await listOrEmpty(outDir)).toEqual([])
  }

  const small = (n: number): Entry[] =>
    Array.from({ length: n }, (_, i) => ({
      header: { name: `f${i}` },
      body: Buffer.from(String(i)),
    }))

  it('entry count', async () => {
    await expectLimit('many.tar.gz', small(6), { maxEntries: 5 }, /has more than 5 entries/)
  })

  it('total uncompressed size', async () => {
    await expectLimit(
      'big.tar',
      [{ header: { name: 'big' }, body: Buffer.alloc(200_000) }],
      { maxTotalBytes: 100_000 },
      /more than 100000 bytes/,
    )
  })

  it('compression ratio once past the threshold', async () => {
    await expectLimit(
      'bomb.tar.gz',
      [{ header: { name: 'zeros' }, body: Buffer.alloc(8 * 1024 * 1024) }],
      { ratioCheckAfterBytes: 1024 * 1024 },
      /expands more than 200:1 .* decompression bomb/,
    )
  })

  it('accepts the same archive under the default limits', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeArchive(path.join(workspace, 'zeros.tar.gz'), [
      { header: { name: 'zeros' }, body: Buffer.alloc(8 * 1024 * 1024) },
    ])
    const built = await buildManifest({
      workspace,
      patterns: ['zeros.tar.gz'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    expect(built.subjects[0]?.archive?.members).toEqual([
      {
        path: 'zeros',
        type: 'file',
        size: 8 * 1024 * 1024,
        sha256: sha256(Buffer.alloc(8 * 1024 * 1024)),
      },
    ])
  })

  it('rejects a file named like an archive that is not one', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeFile(path.join(workspace, 'fake.tar.gz'), 'plain text, not gzip')
    await expect(
      buildManifest({
        workspace,
        patterns: ['fake.tar.gz'],
        source: {},
        outDir,
        sourceDateEpoch: 0,
      }),
    ).rejects.toThrow(
      /^Input 'subject-path': 'fake.tar.gz': fake.tar.gz is named like a gzip-compressed tar archive but could not be read as one/,
    )
    await writeFile(path.join(workspace, 'fake.tar'), Buffer.alloc(512, 'x'))
    await expect(
      buildManifest({ workspace, patterns: ['fake.tar'], source: {}, outDir, sourceDateEpoch: 0 }),
    ).rejects.toThrow(/fake.tar is named like a tar archive but could not be read as one/)
  })
})
