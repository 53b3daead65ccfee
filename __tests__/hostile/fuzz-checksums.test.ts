import { createHash } from 'node:crypto'
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseChecksums } from '../../src/manifest/checksums.ts'
import { buildManifest } from '../../src/manifest/index.ts'
import { checkProperty, expectInputError, tempDir, withTimeout } from './fuzz-support.ts'

const INPUT = 'subject-checksums'

/** A name sha256sum prints without escaping, as `parseChecksums` must read it back. */
const plainName = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
    // Characters that end a line for some readers but not for sha256sum.
    fc
      .array(
        fc.constantFrom(
          'a',
          '.',
          ' ',
          '*',
          '\t',
          '\u0000',
          '\u000b',
          '\u000c',
          '\u0085',
          '\u2028',
          '\u2029',
          '\ufeff',
          'é',
          '#',
          '/',
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((parts) => parts.join('')),
  )
  .filter((name) => !/[\n\r\\]/.test(name))

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
    minLength: length,
    maxLength: length,
  })

interface Listed {
  name: string
  sha256?: string
  sha512?: string
}

/** One line of a generated file, and what the parser must make of it. */
type GeneratedLine =
  | { kind: 'entry'; text: string; name: string; algorithm: 'sha256' | 'sha512'; digest: string }
  | { kind: 'blank'; text: string }
  | { kind: 'bad'; text: string; why: RegExp }

const ending = fc.constantFrom('\n', '\r\n')

const entryLine = (name: string): fc.Arbitrary<GeneratedLine> =>
  fc
    .tuple(fc.constantFrom('sha256' as const, 'sha512' as const), fc.constantFrom(' ', '*'))
    .chain(([algorithm, mode]) =>
      hex(algorithm === 'sha256' ? 64 : 128).map((digest): GeneratedLine => ({
        kind: 'entry',
        text: `${digest} ${mode}${name}`,
        name,
        algorithm,
        digest: digest.toLowerCase(),
      })),
    )

const blankLine = fc
  .constantFrom('', ' ', '   ', '\t', ' \t ')
  .map((text): GeneratedLine => ({ kind: 'blank', text }))

const bad = (text: string, why: RegExp): GeneratedLine => ({ kind: 'bad', text, why })

const badLine: fc.Arbitrary<GeneratedLine> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1, max: 200 }).filter((n) => n !== 64 && n !== 128),
      plainName,
    )
    .chain(([length, name]) => hex(length).map((digest) => `${digest}  ${name}`))
    .map((text) => bad(text, /-character digest; expected 64 hex/)),
  fc
    .tuple(hex(64), plainName)
    .map(([digest, name]) => bad(`\\${digest}  ${name}\\n`, /escaped file name/)),
  fc
    .tuple(hex(64), plainName, fc.constantFrom('\\', '\r'))
    .map(([digest, name, odd]) => bad(`${digest}  ${name}${odd}x`, /backslash or carriage return/)),
  fc
    .tuple(hex(64), plainName)
    .map(([digest, name]) => bad(`SHA256 (${name}) = ${digest}`, /not in sha256sum format/)),
  fc
    .tuple(hex(64), plainName, fc.constantFrom('\t', ' ', '', '  '))
    .filter(([, name, gap]) => !/^[ *]/.test(name) || (gap !== ' ' && gap !== ''))
    .map(([digest, name, gap]) =>
      // With no gap, hex at the start of the name lengthens the digest.
      bad(
        gap === '  ' ? `${digest}${gap}` : `${digest}${gap}${name}`,
        /not in sha256sum format|-character digest/,
      ),
    ),
  fc
    .tuple(hex(64), plainName)
    .map(([digest, name]) => bad(`\ufeff${digest}  ${name}`, /not in sha256sum format/)),
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), plainName)
    .filter(
      ([junk]) =>
        !/^[0-9a-fA-F]+$/.test(junk) &&
        junk.trim() !== '' &&
        !junk.includes('\n') &&
        !junk.startsWith('\\'),
    )
    .map(([junk, name]) =>
      bad(
        `${junk}  ${name}`,
        /not in sha256sum format|-character digest|backslash or carriage return/,
      ),
    ),
)

/** A file of entries with unique names, blank lines and at most a few bad lines. */
const checksumsFile = fc
  .uniqueArray(plainName, { minLength: 0, maxLength: 12 })
  .chain((names) =>
    fc.tuple(
      fc.tuple(...names.map(entryLine)),
      fc.array(fc.oneof({ weight: 3, arbitrary: blankLine }, { weight: 1, arbitrary: badLine }), {
        maxLength: 3,
      }),
      fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
      fc.array(ending, { minLength: 16, maxLength: 16 }),
      fc.boolean(),
    ),
  )
  .map(([entries, extras, positions, endings, finalNewline]) => {
    const lines: GeneratedLine[] = [...entries]
    extras.forEach((line, i) =>
      lines.splice((positions[i] as number) % (lines.length + 1), 0, line),
    )
    const text = lines
      .map((line, i) => line.text + (i < lines.length - 1 || finalNewline ? endings[i % 16] : ''))
      .join('')
    return { lines, text }
  })

function expectedEntries(lines: readonly GeneratedLine[]): Listed[] {
  const byName = new Map<string, Listed>()
  for (const line of lines) {
    if (line.kind !== 'entry') continue
    const entry = byName.get(line.name) ?? { name: line.name }
    entry[line.algorithm] = line.digest
    byName.set(line.name, entry)
  }
  return [...byName.values()]
}

describe('subject-checksums fuzzing', () => {
  it('a file written from known names and digests parses back to them', async () => {
    await checkProperty(
      fc.property(
        fc.uniqueArray(plainName, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        ending,
        (names, both, eol) => {
          const listed = names.map((name) => ({
            name,
            sha256: createHash('sha256').update(name).digest('hex'),
            ...(both ? { sha512: createHash('sha512').update(name).digest('hex') } : {}),
          }))
          // What `sha256sum` then `sha512sum` would append to one file, in text mode.
          const text =
            listed.map((e) => `${e.sha256}  ${e.name}${eol}`).join('') +
            listed.map((e) => (e.sha512 ? `${e.sha512} *${e.name}${eol}` : '')).join('')
          const parsed = parseChecksums(text)
          expect(parsed.map(({ line: _line, ...rest }) => rest)).toEqual(listed)
          expect(parsed.map((e) => e.line)).toEqual(names.map((_, i) => i + 1))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('mixed files: a correct parse, or an InputError naming the first bad line', async () => {
    await checkProperty(
      fc.property(checksumsFile, ({ lines, text }) => {
        const firstBad = lines.findIndex((line) => line.kind === 'bad')
        let parsed: ReturnType<typeof parseChecksums>
        try {
          parsed = parseChecksums(text)
        } catch (error) {
          expectInputError(error, INPUT)
          const bad = lines[firstBad]
          expect(bad, `refused a file without bad lines: ${error.message}`).toBeDefined()
          expect(error.message).toContain(`line ${firstBad + 1} `)
          expect(error.message).toMatch((bad as { why: RegExp }).why)
          return
        }
        expect(firstBad, `accepted bad line ${JSON.stringify(lines[firstBad]?.text)}`).toBe(-1)
        expect(parsed.map(({ line: _line, ...rest }) => rest)).toEqual(expectedEntries(lines))
      }),
      { numRuns: 500 },
    )
  })

  it('an empty file, a lone BOM, huge lines and old Mac line ends are handled', () => {
    expect(parseChecksums('')).toEqual([])
    expect(parseChecksums('\n\r\n \n')).toEqual([])
    // A byte-order mark is blank on its own, and not hex in front of a digest.
    expect(parseChecksums('\ufeff\n')).toEqual([])
    expect(() => parseChecksums(`\ufeff${'a'.repeat(64)}  x\n`)).toThrow(
      /^Input 'subject-checksums': line 1 is not in sha256sum format/,
    )
    const digest = 'a'.repeat(64)
    const hugeName = 'n'.repeat(4 * 1024 * 1024)
    const started = performance.now()
    expect(parseChecksums(`${digest}  ${hugeName}\n`)).toEqual([
      { name: hugeName, sha256: digest, line: 1 },
    ])
    const hugeHex = () => parseChecksums(`${'f'.repeat(4 * 1024 * 1024)}  x\n`)
    expect(hugeHex).toThrow(/line 1 has a 4194304-character digest/)
    const manyLines = `${digest}  x\n`.repeat(200_000)
    expect(parseChecksums(manyLines)).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(5_000)
    // Classic Mac OS line ends run two entries into one name with a CR in it.
    expect(() => parseChecksums(`${digest}  a\r${digest}  b\r`)).toThrow(
      /line 1 names a file with a backslash or carriage return/,
    )
  })
})

describe('subject-checksums fuzzing through buildManifest', () => {
  /** Paths as a checksums file may list them, many escaping the workspace one way or another. */
  const listedPath = fc.oneof(
    fc.constantFrom(
      'dist/app.bin',
      'dist/missing.bin',
      './dist/app.bin',
      'dist//app.bin',
      'dist/./app.bin',
      '../outside.txt',
      'dist/../../outside.txt',
      'link-out/secret.txt',
      'dist/leak.txt',
      '/etc/passwd',
      'dist',
      '.',
      '..',
      'dist/',
      'fifo',
      'SHA256SUMS',
      'release-manifest.json',
      'sums/../dist/app.bin',
      ' dist/app.bin',
      'dist/app.bin ',
      '*dist/app.bin',
    ),
    fc
      .array(fc.constantFrom('dist', '..', '.', 'app.bin', 'x', '', 'link-out'), {
        minLength: 1,
        maxLength: 4,
      })
      .map((p) => p.join('/')),
  )

  it('lists anything: subjects stay inside the workspace and match their digests, or an InputError', async () => {
    const root = await tempDir('fuzz-sums-')
    const workspace = path.join(root, 'ws')
    const outside = path.join(root, 'outside')
    await mkdir(path.join(workspace, 'dist'), { recursive: true })
    await mkdir(outside)
    await writeFile(path.join(outside, 'secret.txt'), 'secret')
    await writeFile(path.join(root, 'outside.txt'), 'outside')
    await writeFile(path.join(workspace, 'dist/app.bin'), 'app')
    await symlink(outside, path.join(workspace, 'link-out'))
    await symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'dist/leak.txt'))
    const appSha256 = createHash('sha256').update('app').digest('hex')

    await checkProperty(
      fc.asyncProperty(
        fc.array(fc.tuple(listedPath, fc.boolean(), fc.constantFrom(' ', '*')), {
          minLength: 1,
          maxLength: 4,
        }),
        async (listing) => {
          const text = listing
            .map(([name, right, mode]) => `${right ? appSha256 : 'b'.repeat(64)} ${mode}${name}\n`)
            .join('')
          await writeFile(path.join(workspace, 'sums.txt'), text)
          const outDir = path.join(root, 'out')
          const result = await withTimeout(
            buildManifest({
              workspace,
              patterns: [],
              checksumsFile: 'sums.txt',
              source: {},
              outDir,
              sourceDateEpoch: 0,
              concurrency: 1,
            }).catch((error: unknown) => error),
            10_000,
            'buildManifest',
          )
          expect(await readdir(root)).not.toContain('out')
          if (result instanceof Error) {
            expectInputError(result, INPUT)
            // Every complaint about a listed file says where the checksums file lists it.
            expect(result.message).toMatch(/line \d+/)
            return
          }
          const built = result as Awaited<ReturnType<typeof buildManifest>>
          for (const subject of built.subjects) {
            expect(subject.path.split('/')).not.toContain('..')
            expect(path.isAbsolute(subject.path)).toBe(false)
            if (subject.localPath !== undefined) {
              // Only dist/app.bin exists inside the workspace as a regular file.
              expect(subject.localPath).toBe(path.join(workspace, 'dist/app.bin'))
              expect(subject.digest.sha256).toBe(appSha256)
            }
          }
        },
      ),
      { numRuns: 60, timeoutMs: 15_000 },
    )
  })
})
