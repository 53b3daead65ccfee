// Signed withdrawals for the verify tests, made with the project's own record builder and
// signing code against the loopback Sigstore stack, and published as `withdrawn/<tag>`
// releases in the GitHub fake through its REST API (draft, upload, publish), as the withdraw
// action publishes them.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MANIFEST_FILE, parseManifest } from '../../src/manifest/index.ts'
import { signStatement } from '../../src/sign/index.ts'
import type { SerializedBundle } from '../../src/sign/index.ts'
import {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  withdrawalTagFor,
} from '../../src/withdrawal/index.ts'
import type { WithdrawalReason, WithdrawalRecord } from '../../src/withdrawal/index.ts'
import {
  buildWithdrawalRecord,
  buildWithdrawalStatement,
  serializeWithdrawalRecord,
} from '../../src/withdrawal/record.ts'
import { createFakeClient } from '../support/github-fake/index.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { REPOSITORY, WORKFLOW_REF } from '../support/release-world.ts'
import type { GitHubActionsClaims } from '../support/sigstore-stack.ts'
import { temporaryFolder } from './support.ts'
import type { PublishedRelease } from './support.ts'

export interface SignedWithdrawal {
  record: WithdrawalRecord
  recordBytes: Buffer
  bundleBytes: Buffer
  /** `sha256:<hex>` of withdrawal.json. */
  digest: string
}

export interface WithdrawalOptions {
  reason?: WithdrawalReason
  summary?: string
  replacement?: PublishedRelease
  /** Claims of the signing token (another repository's workflow, say). */
  claims?: Partial<GitHubActionsClaims>
  /** The repository the record names (default the world's). */
  repository?: string
  now?: Date
}

/** The release's artifacts as its manifest lists them: every one becomes a subject. */
async function artifactsOf(release: PublishedRelease) {
  const manifest = parseManifest(await readFile(join(release.dir, MANIFEST_FILE)))
  return manifest.subjects.map((s) => ({ name: s.name, digest: { sha256: s.digest.sha256 } }))
}

/** A withdrawal of `release`, signed keyless by the world's workflow (or `claims`'). */
export async function signWithdrawal(
  world: ReleaseWorld,
  release: PublishedRelease,
  options: WithdrawalOptions = {},
): Promise<SignedWithdrawal> {
  const reason = options.reason ?? 'security-vulnerability'
  const now = options.now ?? new Date('2026-12-01T09:00:00Z')
  const record = buildWithdrawalRecord({
    request: {
      tag: release.tag,
      reason,
      summary: options.summary ?? 'The bundle ships a vulnerable parser (CVE-2026-0001).',
      incidentReference: 'INC-2207',
      awareAt: '2026-12-01T08:10:00Z',
      ...(options.replacement ? { replacementTag: options.replacement.tag } : {}),
      inputOf: (field) => field,
    },
    repository: options.repository ?? REPOSITORY,
    withdrawn: {
      tag: release.tag,
      manifestDigest: { sha256: release.manifestDigest.replace(/^sha256:/, '') },
    },
    ...(options.replacement
      ? {
          replacement: {
            tag: options.replacement.tag,
            manifestDigest: { sha256: options.replacement.manifestDigest.replace(/^sha256:/, '') },
          },
        }
      : {}),
    run: {
      url: `https://github.com/${REPOSITORY}/actions/runs/2002`,
      workflowRef: WORKFLOW_REF,
      commit: world.sha,
    },
    now,
  })
  const statement = buildWithdrawalStatement(record, await artifactsOf(release))
  const { sigstore } = world
  const bundle: SerializedBundle = await signStatement(statement, {
    endpoints: {
      mode: 'custom',
      fulcioURL: sigstore.fulcioURL,
      rekorURL: sigstore.rekorURL,
      tsaURL: sigstore.tsaURL,
    },
    getIdentityToken: async () => sigstore.issueToken(options.claims ?? {}),
  })
  const { bytes, sha256 } = serializeWithdrawalRecord(record)
  return {
    record,
    recordBytes: bytes,
    bundleBytes: Buffer.from(JSON.stringify(bundle)),
    digest: `sha256:${sha256}`,
  }
}

/** Claims of a token from another repository's release workflow. */
export function otherRepositoryClaims(repository: string): Partial<GitHubActionsClaims> {
  const workflowRef = `${repository}/.github/workflows/release.yml@refs/heads/main`
  return {
    repository,
    repository_owner: repository.split('/')[0] ?? repository,
    sub: `repo:${repository}:ref:refs/heads/main`,
    workflow_ref: workflowRef,
    job_workflow_ref: workflowRef,
  }
}

/** Writes withdrawal.json and withdrawal.sigstore.json into a fresh folder. */
export async function withdrawalFolder(
  files: { recordBytes: Buffer; bundleBytes: Buffer },
  dir?: string,
): Promise<string> {
  const target = dir ?? (await temporaryFolder('withdrawal-'))
  await mkdir(target, { recursive: true })
  await writeFile(join(target, WITHDRAWAL_FILE), files.recordBytes)
  await writeFile(join(target, WITHDRAWAL_BUNDLE_FILE), files.bundleBytes)
  return target
}

/**
 * Publishes `withdrawn/<tag>` carrying the two files (a prerelease, never latest), and, when
 * asked, stores the bundle with the attestations API.
 */
export async function publishWithdrawal(
  world: ReleaseWorld,
  tag: string,
  files: { recordBytes: Buffer; bundleBytes: Buffer },
  options: { attest?: boolean } = {},
): Promise<void> {
  const client = createFakeClient(world.github)
  const { owner, repo } = world.github
  const { data: draft } = await client.rest.repos.createRelease({
    owner,
    repo,
    tag_name: withdrawalTagFor(tag),
    target_commitish: world.sha,
    name: `Withdrawal of ${tag}`,
    draft: true,
    prerelease: true,
    make_latest: 'false',
  })
  for (const [name, data] of [
    [WITHDRAWAL_FILE, files.recordBytes],
    [WITHDRAWAL_BUNDLE_FILE, files.bundleBytes],
  ] as const) {
    await client.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: draft.id,
      url: draft.upload_url,
      name,
      // JSON text: the bytes survive the round trip through a string.
      data: data.toString('utf8'),
      headers: { 'content-type': 'application/json' },
    })
  }
  await client.rest.repos.updateRelease({
    owner,
    repo,
    release_id: draft.id,
    draft: false,
    make_latest: 'false',
  })
  if (options.attest) {
    await client.request('POST /repos/{owner}/{repo}/attestations', {
      owner,
      repo,
      bundle: JSON.parse(files.bundleBytes.toString('utf8')) as Record<string, unknown>,
    })
  }
}
