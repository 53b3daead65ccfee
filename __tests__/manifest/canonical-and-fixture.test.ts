// The faster paths of issue 15 change no byte: the manifest's own RFC 8785 serialiser agrees
// with the library, and the manifest of a fixed tree keeps the digest the code before them gave.
import { createHash } from 'node:crypto'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildManifest } from '../../src/manifest/build.ts'
import { canonicalText, serializeManifest } from '../../src/manifest/document.ts'
import { DEFAULT_MEDIA_TYPE, MEDIA_TYPES, mediaTypeFor } from '../../src/manifest/media-type.ts'
import { canonicalJson } from '../../src/util/canonical-json.ts'
import { sha512, workspaceWithOut, writeTree } from './helpers.ts'

const library = (value: unknown): string => canonicalJson(value).toString('utf8')

describe('canonicalText (the manifest’s serialiser)', () => {
  it('gives the library’s RFC 8785 text for any JSON value', () => {
    const key = fc.string({ unit: 'binary', maxLength: 6 })
    const leaf = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    )
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(key, tie('value'), { maxKeys: 6 }),
      ),
    }))
    fc.assert(
      fc.property(fc.oneof(value, fc.jsonValue()), (json) => {
        expect(canonicalText(json)).toBe(library(json))
      }),
      { numRuns: 500, seed: 15 },
    )
  })

  it('refuses what RFC 8785 cannot represent, as the library does', () => {
    for (const bad of ['\uD800', { ['\uDC00']: 1 }, [Number.NaN], { n: Infinity }]) {
      expect(() => library(bad)).toThrow()
      expect(() => canonicalText(bad)).toThrow()
    }
    expect(canonicalText({ a: undefined, b: [undefined] })).toBe(library({ b: [null] }))
  })

  it('keeps the canonical order where insertion order would not give it', () => {
    const tricky = [
      { b: 1, 10: 'ten', 2: 'two', a: [{ z: 0, '': 1 }] },
      JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as unknown,
      { when: new Date(0), s: new String('boxed') },
      { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5 },
      // Shapes whose keys joined look alike: each object keeps its own keys.
      [{ 'b\u0000a': 1 }, { b: 2, a: 3 }, { 'b\u0000a': 4 }, { b: 5, a: 6 }],
      // In order itself, but holding objects that are not: the outer one is copied too.
      { a: { z: 1, b: 2 }, b: [{ y: 1, x: 2 }, 'kept'], c: [[{ d: 1, c: 2 }]] },
      // A hole in an array, after items written as they are.
      [1, 'two', , 4], // eslint-disable-line no-sparse-arrays
      // Many shapes out of order, more than the sorted key lists remembered.
      Array.from({ length: 100 }, (_, i) => ({ [`k${i}`]: i, a: i, [`j${i % 7}`]: 0 })),
    ]
    for (const value of tricky) expect(canonicalText(value)).toBe(library(value))
  })
})

describe('mediaTypeFor', () => {
  it('gives what the first matching ending in the whole list gives', () => {
    const linear = (name: string): string =>
      MEDIA_TYPES.find(
        ([ending]) => name.toLowerCase().endsWith(ending) && name.length > ending.length,
      )?.[1] ?? DEFAULT_MEDIA_TYPE
    const ending = fc.constantFrom(
      ...MEDIA_TYPES.map(([e]) => e),
      '.bin',
      '.',
      '',
      '.JSON',
      '.Tar.GZ',
    )
    const stem = fc.string({ unit: 'grapheme', maxLength: 8 })
    fc.assert(
      fc.property(stem, ending, fc.boolean(), (base, end, upper) => {
        const name = base + (upper ? end.toUpperCase() : end)
        expect(mediaTypeFor(name)).toBe(linear(name))
      }),
      { numRuns: 2000, seed: 15 },
    )
    expect(mediaTypeFor('.json')).toBe(DEFAULT_MEDIA_TYPE)
    expect(mediaTypeFor('sbom.spdx.json')).toBe('application/spdx+json')
  })
})

describe('the manifest of a fixed tree', () => {
  it('keeps its digest: files large and small, names in several scripts, a directory, SHA-512', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    // A file over two reads takes the overlapped read path; its content is fixed, not random.
    const large = Buffer.alloc(9 * 1024 * 1024 + 5)
    for (let i = 0; i < large.length; i += 4093) large[i] = (i >> 12) & 0xff
    await writeTree(workspace, {
      'dist/app-linux-x64': 'binary for linux',
      'dist/app.exe': 'MZ binary for windows',
      'dist/empty.txt': '',
      'dist/große Datei.bin': large,
      'dist/日本語.txt': 'unicode name',
      'dist/ëxtra.json': '{"a":1}',
      'site/index.html': '<p>hello</p>',
      'site/css/main.css': 'p { color: red }',
      'listed/lib.so': 'shared object',
    })
    await writeTree(workspace, {
      SHA512SUMS: `${sha512('shared object')}  listed/lib.so\n`,
    })
    const built = await buildManifest({
      workspace,
      patterns: ['dist/*', 'site'],
      checksumsFile: 'SHA512SUMS',
      source: { repository: 'octo-org/octo-repo', commit: 'a'.repeat(40), tag: 'v1.2.3' },
      outDir,
      sourceDateEpoch: 1_700_000_000,
    })
    expect(built.subjects.map((subject) => subject.name)).toEqual([
      'app-linux-x64',
      'app.exe',
      'empty.txt',
      'große Datei.bin',
      'lib.so',
      'site.tar.gz',
      'ëxtra.json',
      '日本語.txt',
    ])
    expect(built.bytes.equals(canonicalJson(built.manifest))).toBe(true)
    expect(serializeManifest(built.manifest).digest).toBe(built.digest)
    expect(createHash('sha256').update(built.bytes).digest('hex')).toBe(
      built.digest.slice('sha256:'.length),
    )
    // Pinned from the code before issue 15's changes (same Node, so the same zlib for the
    // directory's tarball).
    expect(built.digest).toBe(FIXED_TREE_DIGEST)
    // Built with every key in canonical order, which the serialiser writes without copying.
    const outOfOrder: string[] = []
    const visit = (value: unknown, at: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${at}[${i}]`))
      else if (value && typeof value === 'object') {
        const keys = Object.keys(value)
        if (keys.join() !== [...keys].sort().join()) outOfOrder.push(`${at}: ${keys.join()}`)
        for (const key of keys) visit((value as Record<string, unknown>)[key], `${at}.${key}`)
      }
    }
    visit(built.manifest, 'manifest')
    expect(outOfOrder).toEqual([])
    expect(path.basename(built.subjects[5]?.localPath ?? '')).toBe('site.tar.gz')
  })
})

const FIXED_TREE_DIGEST = 'sha256:cd3547862beda48f3ef7c4a092fc5230b9692a9d13e1d1e2ce9cf240edae5aba'
