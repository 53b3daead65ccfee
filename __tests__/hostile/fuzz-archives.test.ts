import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ArchiveScanError, scanArchive, type ArchiveScan } from '../../src/manifest/archive-scan.ts'
import { buildManifest } from '../../src/manifest/index.ts'
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveMember } from '../../src/manifest/types.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import {
  checkProperty,
  expectInputError,
  peakRssGrowth,
  tempDir,
  withTimeout,
} from './fuzz-support.ts'
import { gzip, tarArchive, tarHeader, writeGzipBomb, type RawMember } from './fuzz-support-tar.ts'

const TYPES: Record<string, ArchiveMember['type']> = {
  '0': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  '7': 'contiguous-file',
}

/**
 * Whether extracting `member` into an empty folder could write outside it or create a device,
 * worked out independently of the scanner: resolve against a pretend root, treating `\` as a
 * separator as Windows extractors do.
 */
function mustBeFlagged(member: ArchiveMember): boolean {
  const root = '/extract-root'
  const escapes = (from: string, target: string): boolean => {
    const spelled = target.replace(/\\/g, '/')
    if (spelled.startsWith('/') || /^[A-Za-z]:/.test(spelled)) return true
    const resolved = path.posix.resolve(root, from, spelled)
    return resolved !== root && !resolved.startsWith(`${root}/`)
  }
  if (escapes('.', member.path)) return true
  if (['character-device', 'block-device', 'fifo'].includes(member.type)) return true
  if (member.type === 'symlink') {
    return escapes(path.posix.dirname(member.path.replace(/\\/g, '/')), member.linkTarget ?? '')
  }
  if (member.type === 'link') return escapes('.', member.linkTarget ?? '')
  return false
}

/** Flags need a reason: a `..` segment is flagged even where it happens to stay inside. */
function mayBeFlagged(member: ArchiveMember): boolean {
  const dotDot = (p: string | undefined): boolean => (p ?? '').split(/[\\/]/).includes('..')
  return (
    mustBeFlagged(member) ||
    dotDot(member.path) ||
    (['symlink', 'link'].includes(member.type) && dotDot(member.linkTarget))
  )
}

/** Every member that could hurt is flagged, and nothing else is. */
function expectFlagsSound(scan: ArchiveScan): void {
  const flagged = new Set(scan.listing.flags.map((flag) => flag.path))
  for (const member of scan.listing.members) {
    if (mustBeFlagged(member)) {
      expect(flagged.has(member.path), `${JSON.stringify(member)} is not flagged`).toBe(true)
    }
    if (flagged.has(member.path) && !mayBeFlagged(member)) {
      // The same path may appear twice; the flag then belongs to the other one.
      const same = scan.listing.members.filter((m) => m.path === member.path)
      expect(same.some(mayBeFlagged), `${JSON.stringify(member)} is flagged for no reason`).toBe(
        true,
      )
    }
  }
  for (const flag of scan.listing.flags) expect(flag.reason.length).toBeGreaterThan(5)
}

const segment = fc.constantFrom(
  'a',
  'b',
  'dir',
  '..',
  '.',
  '',
  'x.txt',
  'é',
  '\\..\\..',
  'C:',
  'C:\\x',
  '~',
  ' ',
  '...',
  '\u202e',
)
const memberPath = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/etc/passwd',
      '/',
      '//x',
      '\\windows\\system32',
      '../../../../tmp/x',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 101, max: 3000 }), fc.constantFrom('a/', '../', 'é'))
      .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length))),
  },
)

const rawMember: fc.Arbitrary<RawMember> = fc
  .record({
    name: memberPath.filter((n) => n !== '' && !n.includes('\0')),
    typeflag: fc.constantFrom(
      '0',
      '0',
      '1',
      '2',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      'V',
      'S',
      'D',
      'N',
      '\0',
    ),
    linkname: memberPath,
    data: fc.oneof(
      fc.constant(Buffer.alloc(0)),
      fc.uint8Array({ maxLength: 1500 }).map((a) => Buffer.from(a)),
    ),
    longName: fc.constantFrom(undefined, 'gnu' as const, 'pax' as const),
  })
  .map(({ name, typeflag, linkname, data, longName }) => {
    const needsLong = Buffer.byteLength(name) > 100 || Buffer.byteLength(linkname) > 100
    // tar readers take a plain file whose name ends in '/' for a folder; keep the types apart.
    const fileLike = typeflag === '0' || typeflag === '\0'
    const member: RawMember = {
      name:
        typeflag === '5' && !name.endsWith('/')
          ? `${name}/`
          : fileLike && name.endsWith('/')
            ? `${name}f`
            : name,
      typeflag,
      ...(typeflag === '1' || typeflag === '2' ? { linkname } : {}),
      ...(typeflag === '0' || typeflag === '7' || typeflag === 'V' ? { data } : {}),
    }
    const long = longName ?? (needsLong ? 'pax' : undefined)
    if (long) member.longName = long
    return member
  })

/**
 * Members whose listing is predictable. Not type 'N' (GNU's obsolete "names" record):
 * tar-stream reads it as a long-name record and lets a pending pax path rename the member
 * after it, where GNU tar would apply the path to the 'N' entry itself. The scan then lists
 * (and judges) a name GNU tar would not extract; a known limit of tar-stream 3.2.2, reported.
 */
const listedMember = rawMember.filter((member) => member.typeflag !== 'N')

/** What the scanner must list for a member of an intact archive. */
function expectedMember(member: RawMember): { path: string; type: ArchiveMember['type'] } {
  return { path: member.name, type: TYPES[member.typeflag] ?? 'file' }
}

async function scanBytes(
  dir: string,
  bytes: Buffer,
  kind: 'tar' | 'tar.gz',
  limits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveScan | ArchiveScanError> {
  const file = path.join(dir, `archive.${kind}`)
  await writeFile(file, bytes)
  return withTimeout(
    scanArchive(file, kind, ['sha256'], limits).catch((error: unknown) => {
      // Anything but an ArchiveScanError is a crash; fail with the error itself.
      if (error instanceof ArchiveScanError) return error
      throw error
    }),
    10_000,
    `scanning ${bytes.length} bytes as ${kind}`,
  )
}

describe('archive fuzzing: flagged members or a bounded ArchiveScanError', () => {
  it('intact archives of hostile members: every member listed, the harmful ones flagged', async () => {
    const dir = await tempDir('fuzz-tar-')
    await checkProperty(
      fc.asyncProperty(
        fc.array(listedMember, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('tar' as const, 'tar.gz' as const),
        async (members, kind) => {
          const bytes = tarArchive(members)
          const scan = await scanBytes(dir, kind === 'tar' ? bytes : gzip(bytes), kind)
          if (scan instanceof ArchiveScanError) throw scan
          expect(scan.listing.members.map((m) => ({ path: m.path, type: m.type }))).toEqual(
            members.map(expectedMember),
          )
          expectFlagsSound(scan)
        },
      ),
      { numRuns: 120, timeoutMs: 10_000 },
    )
  })

  it('truncated, corrupted and padded archives: a listing with sound flags, or ArchiveScanError', async () => {
    const dir = await tempDir('fuzz-tar-')
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({
        kind: fc.constant('append' as const),
        junk: fc.uint8Array({ minLength: 1, maxLength: 2000 }),
      }),
      fc.record({
        kind: fc.constant('prepend' as const),
        junk: fc.uint8Array({ minLength: 1, maxLength: 600 }),
      }),
    )
    await checkProperty(
      fc.asyncProperty(
        fc.array(rawMember, { minLength: 1, maxLength: 5 }),
        fc.array(damage, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('tar' as const, 'tar.gz' as const),
        fc.boolean(),
        async (members, damages, kind, damageCompressed) => {
          let bytes = tarArchive(members, { end: damages.length % 2 === 0 })
          const apply = (input: Buffer): Buffer => {
            let out = input
            for (const d of damages) {
              if (d.kind === 'truncate') out = out.subarray(0, d.at % (out.length + 1))
              else if (d.kind === 'flip' && out.length > 0) {
                out = Buffer.from(out)
                out[d.at % out.length] = d.value
              } else if (d.kind === 'append') out = Buffer.concat([out, Buffer.from(d.junk)])
              else if (d.kind === 'prepend') out = Buffer.concat([Buffer.from(d.junk), out])
            }
            return out
          }
          if (kind === 'tar') bytes = apply(bytes)
          else bytes = damageCompressed ? apply(gzip(bytes)) : gzip(apply(bytes))
          const scan = await scanBytes(dir, bytes, kind)
          if (scan instanceof ArchiveScanError) {
            expect(scan.message).toMatch(/archive\.tar(\.gz)?/)
            return
          }
          expectFlagsSound(scan)
        },
      ),
      { numRuns: 120, timeoutMs: 10_000 },
    )
  })

  it('garbage and corrupt header fields with valid checksums', async () => {
    const dir = await tempDir('fuzz-tar-')
    const sizeField = fc.oneof(
      fc.uint8Array({ minLength: 12, maxLength: 12 }).map((a) => Buffer.from(a)),
      // base-256: high bit set, then a big-endian number, possibly negative or astronomical.
      fc.uint8Array({ minLength: 11, maxLength: 11 }).map((a) => Buffer.from([0x80, ...a])),
      fc.uint8Array({ minLength: 11, maxLength: 11 }).map((a) => Buffer.from([0xff, ...a])),
      fc
        .constantFrom(
          '77777777777\0',
          '-0000000001\0',
          '           ',
          '0x10       ',
          '99999999999\0',
        )
        .map((s) => Buffer.from(s.padEnd(12, '\0'))),
    )
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }).map((a) => ({ bytes: Buffer.from(a), members: 0 })),
      fc.tuple(rawMember, sizeField).map(([member, field]) => ({
        bytes: tarArchive([{ ...member, sizeField: field }]),
        members: 1,
      })),
      fc
        .tuple(fc.integer({ min: 1, max: 8 * 1024 * 1024 }), fc.constantFrom('x', 'g', 'L', 'K'))
        .map(([size, flag]) => ({
          // A long-name or pax record declaring more than it holds, up to twice tar-stream's cap.
          bytes: Buffer.concat([
            tarHeader({ name: 'long', typeflag: flag, size }),
            Buffer.alloc(1024, 0x41),
          ]),
          members: 0,
        })),
    )
    await checkProperty(
      fc.asyncProperty(
        garbage,
        fc.constantFrom('tar' as const, 'tar.gz' as const),
        fc.boolean(),
        async ({ bytes }, kind, compress) => {
          const scan = await scanBytes(
            dir,
            kind === 'tar.gz' && compress ? gzip(bytes) : bytes,
            kind,
          )
          if (scan instanceof ArchiveScanError) return
          expectFlagsSound(scan)
          for (const member of scan.listing.members) {
            expect(
              Number.isSafeInteger(member.size) && member.size >= 0,
              `size ${member.size}`,
            ).toBe(true)
          }
        },
      ),
      { numRuns: 120, timeoutMs: 10_000 },
    )
  })
})

describe('archive fuzzing: bombs stop early, in bounded memory', () => {
  it('a 1 GiB gzip bomb (5 MB on disk) stops just past the ratio threshold, streaming', async () => {
    const dir = await tempDir('fuzz-bomb-')
    const file = path.join(dir, 'bomb.tar.gz')
    await writeGzipBomb(file, 1024 ** 3)
    const MiB = 1024 ** 2
    const scan = async (ratioCheckAfterBytes: number) => {
      const started = performance.now()
      const { result, growth } = await peakRssGrowth(() =>
        withTimeout(
          scanArchive(file, 'tar.gz', ['sha256'], {
            ...DEFAULT_ARCHIVE_LIMITS,
            ratioCheckAfterBytes,
          }),
          20_000,
          'scanning the bomb',
        ),
      )
      expect(result.status).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason as Error
      expect(error).toBeInstanceOf(ArchiveScanError)
      const expanded =
        /expands more than 200:1 \((\d+) bytes from (\d+)\); it looks like a decompression bomb/.exec(
          error.message,
        )
      expect(expanded, error.message).not.toBeNull()
      return { expanded: Number(expanded?.[1]), growth, ms: performance.now() - started }
    }
    // Default limits: judged from 64 MiB on, against what gunzip consumed (it once compared
    // with what was read, and a 4 MiB read let the bomb run to ~900 MiB first).
    const early = await scan(DEFAULT_ARCHIVE_LIMITS.ratioCheckAfterBytes)
    expect(early.expanded).toBeLessThan(DEFAULT_ARCHIVE_LIMITS.ratioCheckAfterBytes + 4 * MiB)
    // Let 256 MiB through: holding it anywhere would show in the resident set.
    const late = await scan(256 * MiB)
    expect(late.expanded).toBeGreaterThan(256 * MiB)
    expect(late.expanded).toBeLessThan(260 * MiB)
    expect(late.growth).toBeLessThan(128 * MiB)
  })

  it('through buildManifest: a bomb, a huge declared size and too many members are InputErrors', async () => {
    const dir = await tempDir('fuzz-bomb-')
    const workspace = path.join(dir, 'ws')
    await mkdir(workspace)
    await writeGzipBomb(path.join(workspace, 'bomb.tar.gz'), 256 * 1024 ** 2)
    const huge = Buffer.from([0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    await writeFile(
      path.join(workspace, 'declared.tar'),
      tarArchive([{ name: 'big', typeflag: '0', sizeField: huge }]),
    )
    // Neither octal nor base-256: tar-stream took it for null and waited for data forever.
    const unreadable = Buffer.from('faa7fff3fe07030707fa0707', 'hex')
    await writeFile(
      path.join(workspace, 'unreadable.tar'),
      tarArchive([{ name: 'x', typeflag: '0', sizeField: unreadable, data: Buffer.from('hi') }]),
    )
    const many = Array.from({ length: 300 }, (_, i): RawMember => ({
      name: `f${i}`,
      typeflag: '0',
    }))
    await writeFile(path.join(workspace, 'many.tgz'), gzip(tarArchive(many)))
    const cases: [string, RegExp][] = [
      ['bomb.tar.gz', /'bomb\.tar\.gz': archive bomb\.tar\.gz expands more than 200:1/],
      ['declared.tar', /'declared\.tar': archive declared\.tar declares more than \d+ bytes/],
      ['many.tgz', /'many\.tgz': archive many\.tgz has more than 100 entries/],
      [
        'unreadable.tar',
        /archive unreadable\.tar has a member \("x"\) whose size field is unreadable/,
      ],
    ]
    for (const [name, message] of cases) {
      const { result, growth } = await peakRssGrowth(() =>
        withTimeout(
          buildManifest({
            workspace,
            patterns: [name],
            source: {},
            outDir: path.join(dir, 'out'),
            sourceDateEpoch: 0,
            concurrency: 1,
            archiveLimits: { maxEntries: 100, ratioCheckAfterBytes: 16 * 1024 ** 2 },
          }),
          15_000,
          name,
        ),
      )
      expect(result.status, name).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason
      expectInputError(error, 'subject-path')
      expect(error.message).toMatch(message)
      expect(growth).toBeLessThan(64 * 1024 ** 2)
    }
  })

  it('through buildManifest: hostile members give a warning naming them, not a failure', async () => {
    const dir = await tempDir('fuzz-tar-')
    const workspace = path.join(dir, 'ws')
    await mkdir(workspace)
    await checkProperty(
      fc.asyncProperty(fc.array(listedMember, { minLength: 1, maxLength: 6 }), async (members) => {
        await writeFile(path.join(workspace, 'release.tar.gz'), gzip(tarArchive(members)))
        const reporter = new RecordingReporter()
        const built = await buildManifest({
          workspace,
          patterns: ['release.tar.gz'],
          source: {},
          outDir: path.join(dir, 'out'),
          sourceDateEpoch: 0,
          concurrency: 1,
          reporter,
        })
        const listing = built.subjects[0]?.archive
        expect(listing?.members).toHaveLength(members.length)
        const flagged = (listing?.flags ?? []).length
        const warnings = reporter.warnings.filter((w) => w.includes('unsafe to extract'))
        if (flagged === 0) {
          expect(warnings).toEqual([])
        } else {
          expect(warnings).toHaveLength(1)
          expect(warnings[0]).toContain(`release.tar.gz has ${flagged} member(s) unsafe to extract`)
          expect(warnings[0]).toContain((listing?.flags[0] as { path: string }).path)
        }
      }),
      { numRuns: 25, timeoutMs: 10_000 },
    )
  })
})
