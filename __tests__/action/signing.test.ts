// Issue 3 through the action's real entry: keyless signing in each Sigstore mode, the
// provenance statement, and every way signing can be refused or fail before anything is written.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { SLSA_PROVENANCE_V1, verifyBundle } from '../../src/sign/index.ts'
import { BundleVerificationError } from '../../src/sign/verify-bundle.ts'
import type { ActionRunResult } from '../support/action-runner.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  OWN_ASSETS,
  downloadAssets,
  expectFailed,
  expectNoSigstoreRequest,
  expectNoWriteRequest,
  expectSucceeded,
  inWorld,
  onlyRelease,
  sha256,
  transcript,
  workflowIdentity,
  writeArtifacts,
  SLOW_MACHINE_TIMEOUT_MS,
} from './helpers.ts'

type Mode = 'rekor' | 'tsa' | 'both'

const MODES: Record<Mode, { rekor: boolean; tsa: boolean }> = {
  rekor: { rekor: true, tsa: false },
  tsa: { rekor: false, tsa: true },
  both: { rekor: true, tsa: true },
}

interface ModeRelease {
  world: ReleaseWorld
  result: ActionRunResult
  artifacts: Map<string, Buffer>
  assets: Map<string, Buffer>
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function parse(bundle: Buffer | undefined): unknown {
  expect(bundle).toBeDefined()
  return JSON.parse((bundle as Buffer).toString('utf8'))
}

// One release per mode, made once and read by every test about that mode.
const worlds: ReleaseWorld[] = []
const releases = new Map<Mode, Promise<ModeRelease>>()

function releaseIn(mode: Mode): Promise<ModeRelease> {
  let release = releases.get(mode)
  if (!release) {
    release = (async () => {
      // The Rekor-only world's attestations API also refuses (403), which must only warn.
      const world = await startReleaseWorld(
        mode === 'rekor' ? { github: { attestations: 403 } } : {},
      )
      worlds.push(world)
      const artifacts = await writeArtifacts(world)
      const result = await world.run({
        tag: 'v1.0.0',
        'subject-path': 'dist/*',
        ...world.sigstoreInputs(MODES[mode]),
        // Inputs left out of sigstoreInputs would keep the world's default (both services).
        ...(MODES[mode].rekor ? {} : { 'rekor-url': '' }),
        ...(MODES[mode].tsa ? {} : { 'tsa-url': '' }),
        // One of the runs also covers switching the attestations API off.
        ...(mode === 'tsa' ? { 'push-to-attestations': 'false' } : {}),
      })
      expectSucceeded(result)
      const assets = await downloadAssets(world, onlyRelease(world).id)
      return { world, result, artifacts, assets }
    })()
    releases.set(mode, release)
  }
  return release
}

afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()))
})

describe.concurrent('signing through the action', { timeout: SLOW_MACHINE_TIMEOUT_MS }, () => {
  for (const mode of Object.keys(MODES) as Mode[]) {
    const services = MODES[mode]
    const label = mode === 'both' ? 'Rekor and a TSA' : `${mode} only`

    it(`signs both statements with ${label}; they verify against the stack's trusted root`, async () => {
      const { world, result, assets } = await releaseIn(mode)
      const provenance = assets.get('release-manifest.sigstore.json')
      const record = assets.get('change-record.sigstore.json')
      // The bundles on the release are the ones the action wrote and named in its outputs.
      expect(provenance).toEqual(await readFile(result.outputs['provenance-bundle-path'] as string))
      expect(record).toEqual(await readFile(result.outputs['change-record-bundle-path'] as string))

      for (const bundle of [provenance, record]) {
        const verified = verifyBundle(parse(bundle), {
          trustedRoot: world.sigstore.trustedRoot,
          identity: workflowIdentity(),
          requireTlog: services.rekor,
        })
        expect(verified.tlogEntries).toBe(services.rekor ? 1 : 0)
        expect(verified.rfc3161Timestamps).toBe(services.tsa ? 1 : 0)
        expect(verified.signer.subjectAlternativeName).toBe(
          workflowIdentity().subjectAlternativeName,
        )
        if (!services.rekor) {
          // Without a log entry the bundle must fail a policy that demands one.
          expect(() =>
            verifyBundle(parse(bundle), {
              trustedRoot: world.sigstore.trustedRoot,
              identity: workflowIdentity(),
              requireTlog: true,
            }),
          ).toThrow(BundleVerificationError)
        }
      }
      // The same policy refuses the bundle for another workflow.
      expect(() =>
        verifyBundle(parse(provenance), {
          trustedRoot: world.sigstore.trustedRoot,
          identity: {
            ...workflowIdentity(),
            buildSignerURI:
              'https://github.com/octo-org/other/.github/workflows/release.yml@refs/heads/main',
          },
          requireTlog: services.rekor,
        }),
      ).toThrow(BundleVerificationError)

      const used = world.sigstore.requests
      expect(used.fulcio).toBeGreaterThanOrEqual(2)
      expect(used.rekor > 0).toBe(services.rekor)
      expect(used.tsa > 0).toBe(services.tsa)
      // One OIDC token serves both signatures.
      expect(used.oidc).toBe(1)
      // The job summary says where the signature was witnessed.
      const witness = /^Sigstore: (.*)$/m.exec(result.summary)?.[1] ?? ''
      expect(witness.split(', ')).toEqual([
        ...(services.rekor ? [expect.stringMatching(/^Rekor log index \d+$/)] : []),
        ...(services.tsa ? ['1 RFC 3161 timestamp(s)'] : []),
      ])
      expect(world.github.violations).toEqual([])
    })
  }

  it('signs a provenance statement naming every artifact, the manifest and the change record', async () => {
    const { world, artifacts, assets } = await releaseIn('both')
    const verified = verifyBundle(parse(assets.get('release-manifest.sigstore.json')), {
      trustedRoot: world.sigstore.trustedRoot,
      identity: workflowIdentity(),
      requireTlog: true,
    })
    const statement = verified.statement as {
      _type: string
      subject: { name: string; digest: { sha256: string }; annotations?: unknown }[]
      predicateType: string
      predicate: {
        buildDefinition: { resolvedDependencies: { digest: { gitCommit: string } }[] }
        runDetails: { builder: { id: string } }
      }
    }
    expect(statement._type).toBe('https://in-toto.io/Statement/v1')
    expect(statement.predicateType).toBe(SLSA_PROVENANCE_V1)
    const expected = new Map([...artifacts].map(([name, bytes]) => [name, sha256(bytes)]))
    expected.set('release-manifest.json', sha256(assets.get('release-manifest.json') as Buffer))
    expect(statement.subject).toHaveLength(expected.size)
    expect(new Map(statement.subject.map((s) => [s.name, s.digest.sha256]))).toEqual(expected)
    const recordDigest = sha256(assets.get('change-record.json') as Buffer)
    for (const subject of statement.subject) {
      expect(subject.annotations).toEqual({
        'immutable-release.dev/change-record': {
          name: 'change-record.json',
          digest: { sha256: recordDigest },
        },
      })
    }
    expect(statement.predicate.buildDefinition.resolvedDependencies[0]?.digest.gitCommit).toBe(
      world.sha,
    )
    expect(statement.predicate.runDetails.builder.id).toBe(workflowIdentity().buildSignerURI)
    // The account that started the run (GITHUB_ACTOR) is not part of the provenance.
    expect(JSON.stringify(statement)).not.toContain('octocat')
    expect(assets.get('release-manifest.sigstore.json')?.toString('utf8')).not.toContain('octocat')
  })

  it('stores the provenance bundle with the attestations API (and not when switched off)', async () => {
    const [both, tsaOnly] = await Promise.all([releaseIn('both'), releaseIn('tsa')])
    const stored = both.world.github.state.attestations
    expect(stored).toHaveLength(1)
    expect(stored[0]?.bundle).toEqual(parse(both.assets.get('release-manifest.sigstore.json')))
    expect(stored[0]?.subjectDigests).toContain(
      `sha256:${sha256(both.assets.get('release-manifest.json') as Buffer)}`,
    )
    // push-to-attestations: false
    expect(tsaOnly.world.github.state.attestations).toEqual([])
    expect(tsaOnly.world.github.requests.filter((r) => r.path.endsWith('/attestations'))).toEqual(
      [],
    )
  })

  it('only warns when the attestations API refuses (403), and still publishes', async () => {
    const { world, result, artifacts } = await releaseIn('rekor')
    const warning = result.annotations.find(
      (a) => a.level === 'warning' && a.message.includes('attestation'),
    )
    expect(warning?.message, transcript(result)).toContain('attestations: write')
    expect(world.github.requests.filter((r) => r.path.endsWith('/attestations'))).toEqual([
      expect.objectContaining({ method: 'POST', status: 403 }),
    ])
    expect(world.github.state.attestations).toEqual([])
    const release = onlyRelease(world)
    expect(release.draft).toBe(false)
    expect(
      world.github
        .assetsOf(release.id)
        .map((a) => a.name)
        .sort(),
    ).toEqual([...artifacts.keys(), ...OWN_ASSETS].sort())
    expect(result.outputs['release-id']).toBe(String(release.id))
  })

  it('refuses without id-token: write, or without a token, before writing or signing anything', () =>
    inWorld(async (world) => {
      await writeArtifacts(world)
      const result = await world.run(
        { tag: 'v1.0.0', 'subject-path': 'dist/*' },
        { oidc: undefined },
      )
      expect(expectFailed(result)).toContain('id-token: write')
      expectNoWriteRequest(world)
      expectNoSigstoreRequest(world)

      // The token service failing (after the action's retries) is named as such; the permission
      // is not blamed for what is a service failure.
      world.sigstore.setDown('oidc', true)
      const refused = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' })
      const message = expectFailed(refused)
      expect(message).toContain(
        `GitHub Actions OIDC token service (${new URL(world.sigstore.oidcRequestURL).origin}/`,
      )
      expect(message).not.toContain('id-token: write')
      expect(message).toContain('Nothing was signed or written')
      expect(message).not.toContain(world.sigstore.oidcRequestToken)
      expectNoWriteRequest(world)
      expect(world.sigstore.requests.fulcio).toBe(0)

      // A refusal by the token service points at the permission.
      world.sigstore.setDown('oidc', false)
      world.sigstore.failNext('oidc', { status: 403 })
      const forbidden = expectFailed(await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' }))
      expect(forbidden).toContain('id-token: write')
      expectNoWriteRequest(world)
      expect(world.sigstore.requests.fulcio).toBe(0)
    }))

  it('fails naming Fulcio and its URL when Fulcio is unreachable, in bounded time, writing nothing', () =>
    inWorld(async (world) => {
      await writeArtifacts(world)
      const fulcio = `http://127.0.0.1:${await closedPort()}`
      const started = Date.now()
      const result = await world.run({
        tag: 'v1.0.0',
        'subject-path': 'dist/*',
        'fulcio-url': fulcio,
      })
      const elapsed = Date.now() - started
      const message = expectFailed(result)
      expect(message).toContain(`Fulcio (${fulcio})`)
      // Three retries with back-off, then a clear failure: not a hang.
      expect(elapsed).toBeLessThan(30_000)
      expectNoWriteRequest(world)
      expect(world.sigstore.requests.rekor).toBe(0)
      expect(world.sigstore.requests.tsa).toBe(0)
    }))

  it('names the missing inputs of sigstore: custom', () =>
    inWorld(async (world) => {
      await writeArtifacts(world)
      const [noUrls, noWitness] = await Promise.all([
        world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          sigstore: 'custom',
          'fulcio-url': '',
          'rekor-url': '',
          'tsa-url': '',
        }),
        world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          sigstore: 'custom',
          'rekor-url': '',
          'tsa-url': '',
        }),
      ])
      expect(expectFailed(noUrls)).toMatch(/^Input 'fulcio-url': .*sigstore: custom/)
      const witness = expectFailed(noWitness)
      expect(witness).toMatch(/^Input 'rekor-url'/)
      expect(witness).toContain('tsa-url')
      expectNoWriteRequest(world)
      expectNoSigstoreRequest(world)
    }))
})
