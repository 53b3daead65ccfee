// Issue 5 through the action's real entry: the signed change record, its chain to the previous
// release, its place in the release notes, the personal-data guard, and a search of everything
// the action wrote for seeded personal data and secrets.
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Pseudonymizer } from '../../src/change-record/index.ts'
import { verifyBundle } from '../../src/sign/index.ts'
import type { ActionRunResult } from '../support/action-runner.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { SAMPLE_APPROVER } from '../support/sample-change-record.ts'
import {
  CHANGE_RECORD_YAML,
  OWN_ASSETS,
  PSEUDONYMIZATION_KEY,
  downloadAssets,
  expectFailed,
  expectNoSigstoreRequest,
  expectNoWriteRequest,
  expectSucceeded,
  inWorld,
  sha256,
  workflowIdentity,
  writeArtifacts,
  SLOW_MACHINE_TIMEOUT_MS,
} from './helpers.ts'

const RECORD_PREDICATE = 'https://immutable-release.dev/change-record/v1'
const APPROVER = SAMPLE_APPROVER
const ACTOR = 'seeded-actor-jdoe'
const AUTHOR = { name: 'Jane Developer', email: 'jane.developer@example.com' }

interface Published {
  result: ActionRunResult
  releaseId: number
  assets: Map<string, Buffer>
  body: string
}

function releaseByTag(
  world: ReleaseWorld,
  tag: string,
): { id: number; body: string; draft: boolean } {
  const found = [...world.github.state.releases.values()].find((r) => r.release.tag_name === tag)
  expect(found, `release ${tag}`).toBeDefined()
  const release = (found as { release: { id: number; body?: string | null; draft: boolean } })
    .release
  return { id: release.id, body: release.body ?? '', draft: release.draft }
}

async function published(
  world: ReleaseWorld,
  tag: string,
  result: ActionRunResult,
): Promise<Published> {
  expectSucceeded(result)
  const release = releaseByTag(world, tag)
  expect(release.draft).toBe(false)
  expect(world.github.violations).toEqual([])
  return {
    result,
    releaseId: release.id,
    body: release.body,
    assets: await downloadAssets(world, release.id),
  }
}

/** Verifies a change-record bundle and returns the record it signs. */
function verifiedRecord(world: ReleaseWorld, assets: Map<string, Buffer>): Record<string, unknown> {
  const bundle = assets.get('change-record.sigstore.json') as Buffer
  const verified = verifyBundle(JSON.parse(bundle.toString('utf8')), {
    trustedRoot: world.sigstore.trustedRoot,
    identity: workflowIdentity(),
    requireTlog: true,
  })
  const statement = verified.statement as {
    subject: { name: string; digest: { sha256: string } }[]
    predicateType: string
    predicate: Record<string, unknown>
  }
  expect(statement.predicateType).toBe(RECORD_PREDICATE)
  expect(statement.subject).toEqual([
    {
      name: 'release-manifest.json',
      digest: { sha256: sha256(assets.get('release-manifest.json') as Buffer) },
    },
  ])
  // The signed record is the published change-record.json.
  expect(statement.predicate).toEqual(
    JSON.parse((assets.get('change-record.json') as Buffer).toString('utf8')),
  )
  return statement.predicate
}

/**
 * Where `needle` could hide in what the action wrote: as text, or inside base64 (DSSE payloads,
 * Rekor bodies, certificates) at any of the three byte alignments, standard or URL-safe.
 */
function encodings(needle: string): string[] {
  const forms = new Set([needle])
  const bytes = Buffer.from(needle)
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    // Characters that mix in the unknown bytes before or after the needle are dropped.
    const start = [0, 2, 3][offset] as number
    const end = Math.floor((offset + bytes.length) / 3) * 4
    const core = encoded.slice(start, end)
    if (core.length >= 8) {
      forms.add(core)
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'))
    }
  }
  return [...forms]
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

// The world for the two chained releases, made once; the grep test reads its first release.
let chainWorld: ReleaseWorld | undefined
let firstRelease: Promise<Published> | undefined

function releaseV1(): Promise<Published> {
  firstRelease ??= (async () => {
    chainWorld = await startReleaseWorld()
    const world = chainWorld
    await writeArtifacts(world)
    await world.write('.github/change-record.yaml', CHANGE_RECORD_YAML)
    const result = await world.run(
      {
        tag: 'v1.0.0',
        'subject-path': 'dist/*',
        'change-record': '.github/change-record.yaml',
        'pseudonymization-key': PSEUDONYMIZATION_KEY,
      },
      { extraEnv: { GITHUB_ACTOR: ACTOR, GITHUB_TRIGGERING_ACTOR: ACTOR } },
    )
    return published(world, 'v1.0.0', result)
  })()
  return firstRelease
}

afterAll(async () => {
  await chainWorld?.close()
})

describe.concurrent(
  'the change record through the action',
  { timeout: SLOW_MACHINE_TIMEOUT_MS },
  () => {
    it('publishes change-record.json and its bundle, signed over the manifest, in the notes and a notice', async () => {
      const { result, assets, body } = await releaseV1()
      const world = chainWorld as ReleaseWorld
      expect([...assets.keys()]).toEqual(expect.arrayContaining([...OWN_ASSETS]))
      const record = verifiedRecord(world, assets) as {
        change: { id: string; approvals: { approver?: string }[] }
        personalData: { impact: string }
        chain: { previous: unknown }
        identifiers: unknown
        run: { triggeredBy?: string }
        release: { tag: string; commit: string; manifest: { digest: { sha256: string } } }
      }
      expect(record.change.id).toBe('CHG-2041')
      expect(record.personalData.impact).toBe('low')
      expect(record.chain.previous).toBeNull()
      expect(record.release.tag).toBe('v1.0.0')
      expect(record.release.commit).toBe(world.sha)
      expect(`sha256:${record.release.manifest.digest.sha256}`).toBe(
        result.outputs['manifest-digest'],
      )
      // The approver appears only as a keyed pseudonym (domain: the repository id); the actor,
      // whom the public run URL shows, not at all (issue 14).
      const pseudonyms = Pseudonymizer.fromKey(PSEUDONYMIZATION_KEY, { domain: '123456' })
      expect(record.change.approvals[0]?.approver).toBe(pseudonyms.approver(APPROVER))
      expect(record.run).not.toHaveProperty('triggeredBy')

      const manifestDigest = sha256(assets.get('release-manifest.json') as Buffer)
      const recordDigest = sha256(assets.get('change-record.json') as Buffer)
      // The release notes carry the rendered record, with the digests to match the assets.
      expect(body).toContain('### Change record')
      expect(body).toContain('| Change | CHG\\-2041: Release 1\\.0\\.0 of the widget service |')
      expect(body).toContain(`| Manifest | \`sha256:${manifestDigest}\` |`)
      expect(body).toContain(`| change\\-record\\.json | \`sha256:${recordDigest}\` |`)
      expect(result.summary).toContain(`\`sha256:${recordDigest}\``)
      const notices = result.annotations.filter((a) => a.level === 'notice')
      expect(notices).toHaveLength(1)
      expect(notices[0]?.message).toContain('CHG-2041')
      expect(notices[0]?.message).toContain(`sha256:${manifestDigest}`)
      expect(notices[0]?.message).toContain(`sha256:${recordDigest}`)
    })

    it('finds no seeded personal data or secret in anything the action wrote', async () => {
      const { result, releaseId, assets } = await releaseV1()
      const world = chainWorld as ReleaseWorld
      // The runner learns secrets from ::add-mask::; the OIDC token is among them.
      const masked = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('::add-mask::'))
        .map((line) => line.slice('::add-mask::'.length))
      const oidcToken = masked.find((value) => value.startsWith('eyJ'))
      expect(oidcToken, 'the OIDC token is masked').toBeDefined()
      const claims = JSON.parse(
        Buffer.from((oidcToken as string).split('.')[1] as string, 'base64url').toString('utf8'),
      ) as { iss: string }
      expect(claims.iss).toBe(world.sigstore.claims.iss)
      expect(masked).toContain(world.github.token)
      expect(masked).toContain(PSEUDONYMIZATION_KEY)

      const corpus: { where: string; text: string }[] = [
        ...[...assets].map(([name, bytes]) => ({
          where: `asset ${name}`,
          text: bytes.toString('latin1'),
        })),
        {
          where: 'stdout',
          text: result.stdout
            .split('\n')
            .filter((line) => !line.startsWith('::add-mask::'))
            .join('\n'),
        },
        { where: 'stderr', text: result.stderr },
        { where: 'outputs', text: JSON.stringify(result.outputs) },
      ]
      // Every file in the runner's temp folder: outputs, summary, manifest, bundles, record.
      for (const file of await filesUnder(result.runnerTemp)) {
        corpus.push({ where: file, text: (await readFile(file)).toString('latin1') })
      }
      const stored = world.github.state
      for (const { release } of stored.releases.values()) {
        corpus.push({ where: `release ${release.id}`, text: JSON.stringify(release) })
      }
      for (const tag of stored.tagObjects.values()) {
        corpus.push({ where: `tag object ${tag.sha}`, text: JSON.stringify(tag) })
      }
      corpus.push({ where: 'attestations', text: JSON.stringify(stored.attestations) })
      expect(world.github.assetsOf(releaseId)).toHaveLength(assets.size)

      // The search itself works: base64-only content (the DSSE payload) is found.
      const inPayloadOnly = encodings('CHG-2041').slice(1)
      expect(
        inPayloadOnly.some((form) =>
          corpus.some(
            (c) => c.where.includes('change-record.sigstore.json') && c.text.includes(form),
          ),
        ),
      ).toBe(true)

      const needles = {
        'approver id': APPROVER,
        'actor login': ACTOR,
        'pseudonymization key': PSEUDONYMIZATION_KEY,
        'GitHub token': world.github.token,
        'OIDC token': oidcToken as string,
        'OIDC token signature': (oidcToken as string).split('.')[2] as string,
      }
      const found: string[] = []
      for (const [what, needle] of Object.entries(needles)) {
        for (const form of encodings(needle)) {
          for (const { where, text } of corpus) {
            if (text.includes(form)) found.push(`${what} in ${where}`)
          }
        }
      }
      expect(found).toEqual([])
    })

    it('chains the next release to the previous one, with the commit range, and marks an absent record unassessed', async () => {
      const v1 = await releaseV1()
      const world = chainWorld as ReleaseWorld
      const next = world.github.addCommit({
        message: 'Add CSV export',
        author: { ...AUTHOR, date: '2026-02-01T00:00:00Z' },
        parents: [world.sha],
      })
      world.github.setRef('refs/heads/main', next)
      const result = await world.run(
        { tag: 'v1.1.0', 'subject-path': 'dist/*' },
        { sha: next, runId: '2002' },
      )
      const v2 = await published(world, 'v1.1.0', result)
      const record = verifiedRecord(world, v2.assets) as {
        chain: {
          previous: {
            tag: string
            manifestDigest: { sha256: string }
            changeRecordDigest?: { sha256: string }
          }
          commits: { from: string; to: string; count: number }
        }
        personalData: { impact: string }
        change?: unknown
        release: { commit: string }
      }
      expect(record.chain.previous).toEqual({
        tag: 'v1.0.0',
        manifestDigest: { sha256: sha256(v1.assets.get('release-manifest.json') as Buffer) },
        changeRecordDigest: { sha256: sha256(v1.assets.get('change-record.json') as Buffer) },
      })
      expect(record.chain.commits).toEqual({ from: world.sha, to: next, count: 1 })
      expect(record.release.commit).toBe(next)

      // No change-record file: a minimal record, impact unassessed, and a warning saying so.
      expect(record.change).toBeUndefined()
      expect(record.personalData).toEqual({ impact: 'unassessed' })
      expect(
        result.annotations.some(
          (a) => a.level === 'warning' && a.message.includes('No change-record file was given'),
        ),
      ).toBe(true)
      expect(v2.body).toContain('| Personal-data impact | **unassessed** |')
      expect(v2.body).toContain('| Previous release | v1\\.0\\.0, manifest')

      // The range's author was read for the guard, and is published nowhere.
      for (const [name, bytes] of v2.assets) {
        expect(bytes.toString('utf8'), name).not.toContain(AUTHOR.name)
        expect(bytes.toString('utf8'), name).not.toContain(AUTHOR.email)
      }
      expect(v2.body).not.toContain(AUTHOR.name)
    })

    it('refuses an artifact name carrying an e-mail address, masked, before signing or writing', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write('dist/report-jane.doe@example.com.txt', 'quarterly report\n')
        const result = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' })
        const message = expectFailed(result)
        expect(message).toMatch(/^Input 'subject-path': personal data would enter/)
        expect(message).toMatch(/manifest\/subjects\/\d+\/name: e-mail address \(/)
        expect(message).toMatch(/manifest\/subjects\/\d+\/path: e-mail address \(/)
        expect(`${result.stdout}${result.stderr}`).not.toContain('jane.doe@example.com')
        expect(`${result.stdout}${result.stderr}`).not.toContain('jane.doe')
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
      }))

    it('refuses a change record carrying a phone number, masked, before signing or writing', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write(
          'change.yaml',
          CHANGE_RECORD_YAML.replace(
            'reason: Customers asked',
            'reason: Call +49 30 12345678 for access. Customers asked',
          ),
        )
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          'change-record': 'change.yaml',
        })
        const message = expectFailed(result)
        expect(message).toMatch(/^Input 'change-record': personal data would enter/)
        expect(message).toMatch(/\/change\/reason: phone number \(/)
        expect(`${result.stdout}${result.stderr}`).not.toContain('12345678')
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
      }))

    it('lists every schema violation of the change record with its path, and a missing file', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write(
          'invalid.yaml',
          CHANGE_RECORD_YAML.replace(/^ {2}reason: .*\n/m, '')
            .replace('type: normal', 'type: urgent')
            .replace('impact: low', 'impact: huge'),
        )
        const [invalid, missing] = await Promise.all([
          world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*', 'change-record': 'invalid.yaml' }),
          world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*', 'change-record': 'absent.yaml' }),
        ])
        const message = expectFailed(invalid)
        expect(message).toMatch(
          /^Input 'change-record': invalid\.yaml is not a valid change record/,
        )
        expect(message).toContain('/change/reason: is required')
        expect(message).toContain('/change/type:')
        expect(message).toContain('/personalData/impact:')
        expect(expectFailed(missing)).toBe(
          "Input 'change-record': absent.yaml does not exist in the workspace",
        )
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
      }))
  },
)
