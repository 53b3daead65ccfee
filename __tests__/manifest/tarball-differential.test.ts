import { createHash } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, readlink, symlink, chmod } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { createWriteStream } from 'node:fs'
import * as tar from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { scanArchive } from '../../src/manifest/archive-scan.ts'
import { compareNames } from '../../src/manifest/order.ts'
import { createReproducibleTarball } from '../../src/manifest/tarball.ts'
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../../src/manifest/types.ts'
import { InputError } from '../../src/util/errors.ts'
import { tempDir, writeTree } from './helpers.ts'

const EPOCH = 1_700_000_000

/**
 * The packer as it was before headers were encoded by hand: tar-stream's `pack()`, one
 * entry per file in byte order of names, through zlib with the gzip OS byte set to Unix.
 * Kept here, not in src, as the reference the new packer's bytes must equal.
 */
async function referenceTarball(directory: string, outFile: string, epoch: number): Promise<void> {
  const root = path.resolve(directory)
  const rootName = path.basename(root)
  type Entry = { name: string; absolute: string; header: Parameters<tar.Pack['entry']>[0] }
  const mtime = new Date(epoch * 1000)
  const base = { mtime, uid: 0, gid: 0, uname: '', gname: '' }
  const entries: Entry[] = [
    {
      name: `${rootName}/`,
      absolute: root,
      header: { ...base, name: `${rootName}/`, type: 'directory', mode: 0o755, size: 0 },
    },
  ]
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const absolute = path.join(dir, name)
      const inArchive = `${rootName}/${path.relative(root, absolute).split(path.sep).join('/')}`
      const info = await lstat(absolute)
      if (info.isDirectory()) {
        const header = { ...base, name: `${inArchive}/`, type: 'directory' as const, mode: 0o755 }
        entries.push({ name: `${inArchive}/`, absolute, header: { ...header, size: 0 } })
        await walk(absolute)
      } else if (info.isSymbolicLink()) {
        const linkname = await readlink(absolute)
        const header = { ...base, name: inArchive, type: 'symlink' as const, mode: 0o777 }
        entries.push({ name: inArchive, absolute, header: { ...header, size: 0, linkname } })
      } else {
        const mode = info.mode & 0o111 ? 0o755 : 0o644
        const header = { ...base, name: inArchive, type: 'file' as const, mode, size: info.size }
        entries.push({ name: inArchive, absolute, header })
      }
    }
  }
  await walk(root)
  entries.sort((a, b) => compareNames(a.name, b.name))

  const pack = tar.pack()
  const osByte = new (class extends Transform {
    offset = 0
    override _transform(chunk: Buffer, _e: BufferEncoding, callback: TransformCallback): void {
      if (9 - this.offset >= 0 && 9 - this.offset < chunk.length) chunk[9 - this.offset] = 3
      this.offset += chunk.length
      callback(null, chunk)
    }
  })()
  const written = pipeline(pack, createGzip(), osByte, createWriteStream(outFile))
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null): void => (error ? reject(error) : resolve())
      if (entry.header.type === 'file') {
        void readFile(entry.absolute).then((contents) => pack.entry(entry.header, contents, done))
      } else {
        pack.entry(entry.header, done)
      }
    })
  }
  pack.finalize()
  await written
}

/** Deterministic bytes that do not compress: a 1 MiB+ file gzip cannot shrink. */
function noise(bytes: number, seed: string): Buffer {
  const out = Buffer.alloc(bytes)
  let block = createHash('sha256').update(seed).digest()
  for (let at = 0; at < bytes; at += block.length) {
    block.copy(out, at)
    block = createHash('sha256').update(block).digest()
  }
  return out
}

type TreeMaker = (dir: string) => Promise<void>

const TREES: Record<string, TreeMaker> = {
  'an empty directory': async (dir) => {
    await mkdir(dir, { recursive: true })
  },
  'empty files and nested empty directories': async (dir) => {
    await writeTree(dir, { 'a.txt': '', 'b/c.txt': '', 'b/d/e.txt': 'x' })
    await mkdir(path.join(dir, 'empty/deeper/deepest'), { recursive: true })
    await mkdir(path.join(dir, 'b/also-empty'), { recursive: true })
  },
  'files around 1 MiB, streamed and whole, compressible and not': async (dir) => {
    await writeTree(dir, {
      'exactly-1MiB.bin': Buffer.alloc(1024 * 1024, 1),
      'one-over.bin': noise(1024 * 1024 + 1, 'one-over'),
      'big.bin': Buffer.alloc(3 * 1024 * 1024 + 5, 7),
      'noisy.bin': noise(2 * 1024 * 1024 + 300, 'noisy'),
      'small-after.txt': 'after the big ones',
    })
  },
  'executables, symbolic links and long link targets': async (dir) => {
    await writeTree(dir, {
      'bin/run.sh': '#!/bin/sh\necho run\n',
      'bin/private.sh': '#!/bin/sh\n',
      'index.html': '<h1>hi</h1>',
      'ünï/target.txt': 'target',
    })
    await chmod(path.join(dir, 'bin/run.sh'), 0o755)
    await chmod(path.join(dir, 'bin/private.sh'), 0o700)
    await chmod(path.join(dir, 'index.html'), 0o600)
    await symlink('../index.html', path.join(dir, 'bin/link-to-index'))
    await symlink('ünï/target.txt', path.join(dir, 'unicode-target'))
    // Over 100 bytes: the target goes into a PAX header, as `linkpath`.
    await symlink(`${'./'.repeat(60)}index.html`, path.join(dir, 'long-target'))
    await symlink('missing-but-inside', path.join(dir, 'dangling'))
  },
  'long and non-ASCII names': async (dir) => {
    const segment = 'd'.repeat(40)
    await writeTree(dir, {
      // Over 100 bytes, but splits into ustar's prefix and name.
      [`${segment}/${segment}/${segment}/file.txt`]: 'split into prefix and name',
      // Over 255 bytes: needs PAX.
      [`${`${segment}/`.repeat(6)}${'n'.repeat(30)}.txt`]: 'pax path',
      // One segment over 100 bytes: needs PAX however short the rest.
      [`${'s'.repeat(120)}.txt`]: 'long segment',
      'ünï.txt': 'unicode',
      '日本語/ファイル.txt': 'japanese',
      'emoji-😀.txt': 'astral plane',
      'b-c.txt': 'sorts before b/',
      'b/inner.txt': 'inner',
    })
    // A directory whose name with its '/' passes 100 bytes.
    await mkdir(path.join(dir, 'e'.repeat(99)), { recursive: true })
    await mkdir(path.join(dir, `${segment}/${'f'.repeat(101)}`), { recursive: true })
  },
  'many small files, several gzip pieces': async (dir) => {
    const files: Record<string, Buffer> = {}
    for (let i = 0; i < 700; i++) files[`part${i % 7}/f${i}.bin`] = noise(2000 + i, `f${i}`)
    await writeTree(dir, files)
  },
}

async function packBoth(make: TreeMaker, epoch = EPOCH) {
  const dir = await tempDir('tarball-diff-')
  const tree = path.join(dir, 'site')
  await make(tree)
  const ours = path.join(dir, 'ours.tar.gz')
  const reference = path.join(dir, 'site.tar.gz')
  const scan = await createReproducibleTarball({
    directory: tree,
    outFile: ours,
    sourceDateEpoch: epoch,
    displayPath: 'site',
  })
  await referenceTarball(tree, reference, epoch)
  return { dir, tree, ours, reference, scan }
}

describe('the packer matches tar-stream pack() byte for byte, and its scan matches scanArchive', () => {
  for (const [title, make] of Object.entries(TREES)) {
    it(title, async () => {
      const { ours, reference, scan } = await packBoth(make)
      const bytes = await readFile(ours)
      expect(bytes.equals(await readFile(reference))).toBe(true)
      const scanned = await scanArchive(ours, 'tar.gz', ['sha256'], DEFAULT_ARCHIVE_LIMITS)
      expect(scan).toStrictEqual(scanned)
      // Guards against a vacuous comparison: every file has its digest.
      for (const member of scan.listing.members) {
        if (member.type === 'file') expect(member.sha256).toMatch(/^[0-9a-f]{64}$/)
      }
    })
  }

  it('keeps an mtime beyond 2038 as tar-stream wraps it', async () => {
    const make = TREES['empty files and nested empty directories'] as TreeMaker
    const { ours, reference } = await packBoth(make, 2 ** 31 + 5)
    expect((await readFile(ours)).equals(await readFile(reference))).toBe(true)
  })
})

describe('a directory crossing the archive limits is refused as a scan of its tarball is', () => {
  const small = { 'a.txt': 'a'.repeat(3000), 'b.txt': 'b'.repeat(3000), 'c/d.txt': 'd' }
  // Past gunzip's first 16 KiB piece, so the scan meets b.bin's header before its bytes.
  const large = { 'a.bin': Buffer.alloc(64 * 1024, 1), 'b.bin': Buffer.alloc(300 * 1024, 2) }
  const cases: [string, Record<string, string | Buffer>, Partial<ArchiveLimits>, RegExp][] = [
    ['entries', small, { maxEntries: 3 }, /has more than 3 entries/],
    ['stream bytes', small, { maxTotalBytes: 6500 }, /unpacks to more than 6500 bytes/],
    ['declared bytes', large, { maxTotalBytes: 200 * 1024 }, /declares more than 204800 bytes/],
  ]
  for (const [title, files, limits, message] of cases) {
    it(title, async () => {
      const dir = await tempDir('tarball-limits-')
      const tree = path.join(dir, 'site')
      await writeTree(tree, files)
      const reference = path.join(dir, 'site.tar.gz')
      await referenceTarball(tree, reference, EPOCH)
      const all = { ...DEFAULT_ARCHIVE_LIMITS, ...limits }
      const scanError = await scanArchive(reference, 'tar.gz', ['sha256'], all).catch(
        (e: unknown) => e as Error,
      )
      expect(scanError).toBeInstanceOf(Error)
      expect((scanError as Error).message).toMatch(message)
      const error = await createReproducibleTarball({
        directory: tree,
        outFile: path.join(dir, '.partial'),
        sourceDateEpoch: EPOCH,
        displayPath: 'site',
        limits: all,
        archiveName: 'site.tar.gz',
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).input).toBe('subject-path')
      expect((error as Error).message).toBe(
        `Input 'subject-path': 'site': ${(scanError as Error).message}`,
      )
    })
  }
})
