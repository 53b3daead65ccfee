import { writeFileSync } from 'node:fs'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import schema from '../../schemas/manifest.v1.json' with { type: 'json' }
import {
  MANIFEST_FILE,
  SHA256SUMS_FILE,
  buildManifest,
  parseManifest,
  parseSubjectPatterns,
  writeManifestFiles,
} from '../../src/manifest/index.ts'
import { hashFile } from '../../src/manifest/hash-file.ts'
import { mediaTypeFor } from '../../src/manifest/media-type.ts'
import { canonicalJson } from '../../src/util/canonical-json.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import { exec, sha256, tempDir, workspaceWithOut, writeTree } from './helpers.ts'

const validateSchema = new Ajv2020({ allErrors: true, strict: true }).compile(schema)

describe('parseSubjectPatterns', () => {
  it('splits lines, trims them and drops blank and comment lines', () => {
    expect(
      parseSubjectPatterns('dist/*.zip\r\n  # builds\n\n  !dist/debug-*  \nREADME.md'),
    ).toEqual(['dist/*.zip', '!dist/debug-*', 'README.md'])
  })
})

describe('mediaTypeFor', () => {
  it.each([
    ['app-1.0.tar.gz', 'application/gzip'],
    ['app.tgz', 'application/gzip'],
    ['app.zip', 'application/zip'],
    ['sbom.spdx.json', 'application/spdx+json'],
    ['bom.cdx.json', 'application/vnd.cyclonedx+json'],
    ['data.json', 'application/json'],
    ['notes.txt', 'text/plain'],
    ['tool_1.0_amd64.deb', 'application/vnd.debian.binary-package'],
    ['tool.rpm', 'application/x-rpm'],
    ['Setup.EXE', 'application/vnd.microsoft.portable-executable'],
    ['tool.dmg', 'application/x-apple-diskimage'],
    ['pkg-1.0-py3-none-any.whl', 'application/zip'],
    ['lib.jar', 'application/java-archive'],
    ['cosign.pem', 'application/x-pem-file'],
    ['file.sig', 'application/pgp-signature'],
    ['mystery', 'application/octet-stream'],
    ['.json', 'application/octet-stream'],
  ])('%s is %s', (name, type) => {
    expect(mediaTypeFor(name)).toBe(type)
  })
})

describe('buildManifest', () => {
  it('describes matched files, sorted by name, as canonical JSON whose SHA-256 is the address', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, {
      'dist/zeta.zip': 'zip bytes',
      'dist/alpha.txt': 'hello\n',
      'dist/debug-alpha.txt': 'excluded',
      'docs/sbom.spdx.json': '{"spdxVersion":"SPDX-2.3"}',
      'other/ignored.bin': 'not matched',
    })
    const reporter = new RecordingReporter()
    const built = await buildManifest({
      workspace,
      patterns: parseSubjectPatterns('dist/*\n!dist/debug-*\ndocs/**/*.json'),
      source: { repository: 'octo/app', commit: 'a'.repeat(40), tag: 'v1.0.0' },
      outDir,
      sourceDateEpoch: 0,
      reporter,
    })
    expect(built.manifest).toEqual({
      schemaVersion: 'https://immutable-release.dev/manifest/v1',
      source: { repository: 'octo/app', commit: 'a'.repeat(40), tag: 'v1.0.0' },
      subjects: [
        {
          name: 'alpha.txt',
          path: 'dist/alpha.txt',
          size: 6,
          mediaType: 'text/plain',
          digest: { sha256: sha256('hello\n') },
          source: 'file',
        },
        {
          name: 'sbom.spdx.json',
          path: 'docs/sbom.spdx.json',
          size: 26,
          mediaType: 'application/spdx+json',
          digest: { sha256: sha256('{"spdxVersion":"SPDX-2.3"}') },
          source: 'file',
        },
        {
          name: 'zeta.zip',
          path: 'dist/zeta.zip',
          size: 9,
          mediaType: 'application/zip',
          digest: { sha256: sha256('zip bytes') },
          source: 'file',
        },
      ],
    })
    expect(built.bytes.equals(canonicalJson(built.manifest))).toBe(true)
    expect(built.bytes.toString()).not.toContain('localPath')
    expect(built.digest).toBe(`sha256:${sha256(built.bytes)}`)
    expect(built.subjects.map((s) => s.localPath)).toEqual([
      path.join(workspace, 'dist/alpha.txt'),
      path.join(workspace, 'docs/sbom.spdx.json'),
      path.join(workspace, 'dist/zeta.zip'),
    ])
    expect(validateSchema(built.manifest)).toBe(true)
    expect(parseManifest(built.bytes)).toEqual(built.manifest)
    expect(reporter.messages.some((m) => m.message.includes(built.digest))).toBe(true)
  })

  it('gives the same bytes and address for the same files, whatever the pattern order', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'b.bin': 'b', 'a.bin': 'a', 'c/d.bin': 'd' })
    const common = { workspace, outDir, source: {}, sourceDateEpoch: 0 }
    const one = await buildManifest({ ...common, patterns: ['*.bin', 'c/d.bin'] })
    const two = await buildManifest({ ...common, patterns: ['c/*', 'b.bin', 'a.bin', 'a.bin'] })
    expect(two.bytes.equals(one.bytes)).toBe(true)
    expect(two.digest).toBe(one.digest)
    expect(one.manifest.source).toEqual({})
  })

  it('writes release-manifest.json and a SHA256SUMS that sha256sum -c accepts', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, {
      'dist/app linux.tar': Buffer.alloc(0),
      'dist/app.exe': Buffer.from([0, 1, 2, 3, 255]),
      'dist/ünïcode.txt': 'text\r\nwith crlf',
    })
    await writeTree(workspace, { 'dist/app linux.tar': await tarOf(workspace) })
    const built = await buildManifest({
      workspace,
      patterns: ['dist/*'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    expect(built.manifest.subjects[0]?.archive).toEqual({
      members: [{ path: 'inner.txt', type: 'file', size: 5, sha256: sha256('inner') }],
      flags: [],
    })
    const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir)
    expect(path.basename(manifestPath)).toBe(MANIFEST_FILE)
    expect(path.basename(sha256sumsPath)).toBe(SHA256SUMS_FILE)
    expect((await readFile(manifestPath)).equals(built.bytes)).toBe(true)
    const sums = await readFile(sha256sumsPath, 'utf8')
    expect(sums).toBe(built.sha256sums)
    expect(
      sums
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(66)),
    ).toEqual(['app linux.tar', 'app.exe', 'ünïcode.txt'])
    // The release page holds the assets side by side; copy them so, as a downloader would.
    const downloads = await tempDir('downloads-')
    for (const subject of built.subjects)
      await writeFile(
        path.join(downloads, subject.name),
        await readFile(subject.localPath as string),
      )
    await writeFile(path.join(downloads, SHA256SUMS_FILE), sums)
    const { stdout } = await exec('sha256sum', ['-c', '--strict', SHA256SUMS_FILE], {
      cwd: downloads,
    })
    expect(stdout.trim().split('\n')).toEqual([
      'app linux.tar: OK',
      'app.exe: OK',
      'ünïcode.txt: OK',
    ])
    // And it notices a changed asset.
    await writeFile(path.join(downloads, 'app.exe'), 'tampered')
    await expect(
      exec('sha256sum', ['-c', '--strict', SHA256SUMS_FILE], { cwd: downloads }),
    ).rejects.toThrow(/did NOT match/)
  })

  it('follows symbolic links that stay inside the workspace', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    await writeTree(workspace, { 'build/real.bin': 'real' })
    await mkdir(path.join(workspace, 'dist'))
    await symlink('../build/real.bin', path.join(workspace, 'dist/app.bin'))
    const built = await buildManifest({
      workspace,
      patterns: ['dist/app.bin'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    expect(built.manifest.subjects).toEqual([
      {
        name: 'app.bin',
        path: 'dist/app.bin',
        size: 4,
        mediaType: 'application/octet-stream',
        digest: { sha256: sha256('real') },
        source: 'file',
      },
    ])
  })

  it('hashes large files across the worker pool exactly like a single stream does', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    const sizes = [0, 1, 4 * 1024 * 1024 - 1, 4 * 1024 * 1024, 9 * 1024 * 1024 + 7, 20_000]
    const files: Record<string, Buffer> = {}
    sizes.forEach((size, i) => {
      const data = Buffer.alloc(size)
      for (let k = 0; k < size; k += 4099) data[k] = (k * 31 + i) & 0xff
      files[`f${i}.bin`] = data
    })
    await writeTree(workspace, files)
    const built = await buildManifest({
      workspace,
      patterns: ['*.bin'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
      concurrency: 3,
    })
    for (const subject of built.subjects) {
      const data = files[subject.name] as Buffer
      expect(subject.size).toBe(data.length)
      expect(subject.digest.sha256).toBe(sha256(data))
      expect((await hashFile(subject.localPath as string)).hex).toBe(sha256(data))
    }
    expect((await hashFile(path.join(workspace, 'f4.bin'), 'sha512')).size).toBe(sizes[4])
  })

  it('handles 20,000 subjects', async () => {
    const { workspace, outDir } = await workspaceWithOut()
    const count = 20_000
    await mkdir(path.join(workspace, 'many'))
    // Written synchronously: 20,000 thread-pool round trips would be most of the test's time.
    const names = Array.from({ length: count }, (_, i) => `asset-${String(i).padStart(5, '0')}.bin`)
    for (const name of names) writeFileSync(path.join(workspace, 'many', name), name)
    const built = await buildManifest({
      workspace,
      patterns: ['many/*.bin'],
      source: {},
      outDir,
      sourceDateEpoch: 0,
    })
    expect(built.manifest.subjects).toHaveLength(count)
    expect(built.manifest.subjects.map((s) => s.name)).toEqual([...names].sort())
    const sample = built.manifest.subjects[12_345]
    expect(sample?.digest.sha256).toBe(sha256(sample?.name as string))
    expect(built.sha256sums.split('\n')).toHaveLength(count + 1)
    expect(validateSchema(built.manifest)).toBe(true)
  })
})

describe('parseManifest', () => {
  const valid = {
    schemaVersion: 'https://immutable-release.dev/manifest/v1',
    source: { tag: 'v1' },
    subjects: [
      {
        name: 'a.zip',
        path: 'dist/a.zip',
        size: 1,
        mediaType: 'application/zip',
        digest: { sha256: 'a'.repeat(64) },
        source: 'file',
      },
      {
        name: 'b.zip',
        path: 'b.zip',
        mediaType: 'application/zip',
        digest: { sha256: 'b'.repeat(64), sha512: 'c'.repeat(128) },
        source: 'checksums',
      },
    ],
  }

  it('accepts a valid manifest as bytes or text', () => {
    expect(parseManifest(JSON.stringify(valid))).toEqual(valid)
    expect(parseManifest(canonicalJson(valid))).toEqual(valid)
  })

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['a wrong schema version', { ...valid, schemaVersion: 'v2' }, /schemaVersion/],
    ['an unknown property', { ...valid, extra: 1 }, /must NOT have additional properties/],
    [
      'a short digest',
      { ...valid, subjects: [{ ...valid.subjects[0], digest: { sha256: 'abc' } }] },
      /subjects\/0\/digest\/sha256/,
    ],
    [
      'a file subject without size',
      { ...valid, subjects: [{ ...valid.subjects[0], size: undefined }] },
      /size/,
    ],
    [
      'a name with a slash',
      { ...valid, subjects: [{ ...valid.subjects[0], name: 'a/b.zip' }] },
      /subjects\/0\/name/,
    ],
    ['no subjects', { ...valid, subjects: [] }, /subjects/],
    [
      'unsorted subjects',
      { ...valid, subjects: [valid.subjects[1], valid.subjects[0]] },
      /sorted by name/,
    ],
    [
      'duplicate names',
      { ...valid, subjects: [valid.subjects[0], valid.subjects[0]] },
      /sorted by name with unique names/,
    ],
  ])('rejects %s', (_label, value, message) => {
    expect(() => parseManifest(typeof value === 'string' ? value : JSON.stringify(value))).toThrow(
      message,
    )
  })
})

/** A tiny real tar made by GNU tar, so the .tar subject is scanned as an archive. */
async function tarOf(workspace: string): Promise<Buffer> {
  const dir = await tempDir('tar-src-')
  await writeTree(dir, { 'inner.txt': 'inner' })
  const out = path.join(await tempDir('tar-out-'), 'x.tar')
  await exec('tar', ['-cf', out, '-C', dir, 'inner.txt'])
  void workspace
  return readFile(out)
}
