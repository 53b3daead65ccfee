// Pins the bytes a release publishes for a fixed input, so a refactoring that changes what a
// user gets (a field, an order, a line of the notes) fails here instead of passing unnoticed.
// Two chained releases through the action's real entry: files, a directory packed as a
// reproducible tarball, a change record with a pseudonymised approver, then a second release
// whose record links to the first. Only what differs between runs by design is replaced before
// hashing: the record's `createdAt` (the wall clock) and the fake's commit SHAs (random per
// world); every other byte is compared.
import { createHash } from 'node:crypto'
import canonicalize from 'canonicalize'
import { describe, expect, it } from 'vitest'
import {
  CHANGE_RECORD_YAML,
  PSEUDONYMIZATION_KEY,
  SLOW_MACHINE_TIMEOUT_MS,
  downloadAssets,
  expectSucceeded,
  inWorld,
  transcript,
} from './helpers.ts'
import type { ReleaseWorld } from '../support/release-world.ts'

const FIXED_TIME = '2026-01-01T12:00:00.000Z'

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The record's bytes with its creation time fixed, canonical again (RFC 8785). */
function recordWithFixedTime(bytes: Buffer): string {
  const record = JSON.parse(bytes.toString('utf8')) as { createdAt: string; nonce: string }
  expect(record.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  // The nonce is random by design (it keeps two identical records apart); its shape is pinned.
  expect(record.nonce).toMatch(/^[0-9a-f]{32}$/)
  return canonicalize({ ...record, createdAt: FIXED_TIME, nonce: '0'.repeat(32) }) as string
}

interface ReleaseBytes {
  manifest: string
  sha256sums: string
  changeRecord: string
  body: string
  assetNames: string[]
}

/**
 * What differs between runs by design, replaced by fixed strings of the same length: the
 * world's random commit SHAs, and the digests of files that contain them (the manifest and
 * record the next release links to).
 */
function fixVarying(text: string, varying: string[]): string {
  return varying.reduce(
    (out, value, i) => out.split(value).join(String.fromCharCode(97 + i).repeat(value.length)),
    text,
  )
}

async function releaseBytes(
  world: ReleaseWorld,
  varying: string[],
  inputs: Record<string, string>,
  options: Parameters<ReleaseWorld['run']>[1] = {},
): Promise<ReleaseBytes> {
  const result = await world.run(inputs, options)
  expectSucceeded(result)
  const release = [...world.github.state.releases.values()]
    .map(
      (entry) =>
        (entry as { release: { id: number; tag_name: string; body?: string | null } }).release,
    )
    .find((r) => r.tag_name === inputs['tag'])
  expect(release, transcript(result)).toBeDefined()
  const { id, body } = release as { id: number; body?: string | null }
  const assets = await downloadAssets(world, id)
  const text = (name: string): string =>
    fixVarying((assets.get(name) as Buffer).toString('utf8'), varying)
  // The record names the manifest it belongs to by its real digest.
  const manifestDigest = sha256(assets.get('release-manifest.json') as Buffer)
  expect(result.outputs['manifest-digest']).toBe(`sha256:${manifestDigest}`)
  expect(JSON.parse((assets.get('change-record.json') as Buffer).toString('utf8'))).toMatchObject({
    release: { manifest: { digest: { sha256: manifestDigest } } },
  })
  varying.push(manifestDigest, sha256(assets.get('change-record.json') as Buffer))
  const record = text('change-record.json')
  const createdAt = (JSON.parse(record) as { createdAt: string }).createdAt
  return {
    manifest: sha256(text('release-manifest.json')),
    sha256sums: text('SHA256SUMS'),
    changeRecord: sha256(recordWithFixedTime(Buffer.from(record))),
    body: sha256(
      fixVarying(body ?? '', varying)
        .split(createdAt)
        .join(FIXED_TIME),
    ),
    assetNames: [...assets.keys()].sort(),
  }
}

describe('the bytes of a release for a fixed input', { timeout: SLOW_MACHINE_TIMEOUT_MS }, () => {
  it('are exactly those pinned here, for a first release and the one chained to it', () =>
    inWorld(async (world) => {
      await world.write('dist/widget-linux-amd64', Buffer.alloc(70 * 1024, 7))
      await world.write('dist/notes.txt', 'Widget 1.0\n')
      await world.write('site/index.html', '<h1>Widget</h1>\n')
      await world.write('site/css/main.css', 'h1 { color: teal }\n')
      await world.write('.github/change-record.yaml', CHANGE_RECORD_YAML)
      // Full SHAs first, then the 12-digit forms the notes show.
      const varying = [world.sha, world.sha.slice(0, 12)]
      const first = await releaseBytes(
        world,
        varying,
        {
          tag: 'v1.0.0',
          'subject-path': 'dist/*\nsite/',
          'change-record': '.github/change-record.yaml',
          'pseudonymization-key': PSEUDONYMIZATION_KEY,
          body: 'Release notes of 1.0.0.',
        },
        { extraEnv: { GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'octocat' } },
      )

      const next = world.github.addCommit({
        message: 'Add CSV export',
        author: { name: 'Dev', email: 'dev@users.noreply.example', date: '2026-02-01T00:00:00Z' },
        parents: [world.sha],
      })
      world.github.setRef('refs/heads/main', next)
      await world.write('dist/notes.txt', 'Widget 1.1\n')
      const second = await releaseBytes(
        world,
        [...varying, next, next.slice(0, 12)],
        { tag: 'v1.1.0', 'subject-path': 'dist/*' },
        { sha: next, runId: '2002' },
      )

      expect({ first, second }).toMatchInlineSnapshot(`
        {
          "first": {
            "assetNames": [
              "SHA256SUMS",
              "change-record.json",
              "change-record.sigstore.json",
              "notes.txt",
              "release-manifest.json",
              "release-manifest.sigstore.json",
              "site.tar.gz",
              "widget-linux-amd64",
            ],
            "body": "3cba669efccc424eae3efa6f16021f78da64a190143884e4516abe9b9e3bd673",
            "changeRecord": "f0f6bdb5d14bbc3c8cc7b2a4f645787e0dbc392655021c397312de581688535e",
            "manifest": "58c5af7d80e7993dbe7e474ef22d832768c2cc4f5576c865f5bc83c9f276d0c6",
            "sha256sums": "f1b0d9cb5a657260f981fefe0ed2c8cce8f17745456135467a6cd216cfaa186d  notes.txt
        1344f0d7eb46fe308f242675238f666003290bd43063fb883cee8decb76f2810  site.tar.gz
        94c0c63cf3006486b87cadcac2ca73632c54ea00bfbcc03b02a6eda0628df646  widget-linux-amd64
        ",
          },
          "second": {
            "assetNames": [
              "SHA256SUMS",
              "change-record.json",
              "change-record.sigstore.json",
              "notes.txt",
              "release-manifest.json",
              "release-manifest.sigstore.json",
              "widget-linux-amd64",
            ],
            "body": "63a7fbd52c5b899047ebf710a87605474925610f30371c83d006ee2a863f0dd1",
            "changeRecord": "b5740910a526770d9e2d71c5de28a4fccf2cd65e3537bba907f7fa4c793d50d8",
            "manifest": "827f2a33b06f06feafbfa2a1e0070f22db37f7ee9f8402f56dc3921ea892de83",
            "sha256sums": "4c4dc6a133d72f2f68f45cd73d960e482f1db1659168a6e0db06e9fb780ec363  notes.txt
        94c0c63cf3006486b87cadcac2ca73632c54ea00bfbcc03b02a6eda0628df646  widget-linux-amd64
        ",
          },
        }
      `)
    }))
})
