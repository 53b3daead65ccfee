import { randomBytes } from 'node:crypto'
import { canonicalJson } from '../util/canonical-json.ts'
import { GIT_OBJECT_ID, hashBytes, isSha256Hex } from '../util/digest.ts'
import type { Reporter } from '../util/reporter.ts'
import type { PushedTag } from '../util/types.ts'
import { runUrl, type RunContext } from '../util/run-context.ts'
import { MANIFEST_FILE } from '../util/release-files.ts'
import type { Pseudonymizer } from './pseudonymizer.ts'
import type {
  ChainLink,
  ChangeRecord,
  ChangeRecordInput,
  DigestSet,
  PolicyFinding,
} from './types.ts'

export type OwnerType = 'User' | 'Organization' | 'unknown'

export interface SigningExposure {
  /** Whether signatures go to a public transparency log (Rekor public-good). */
  transparencyLog: boolean
  /** The repository owner's account type, from the GitHub API or the event payload. */
  ownerType: OwnerType
}

export interface BuildChangeRecordParams {
  /** The validated change-record file; absent when none was given. */
  input?: ChangeRecordInput
  run: RunContext
  tag: string
  /** The pushed tag the release adopted (no tagger identity); absent when the action creates it. */
  pushedTag?: PushedTag
  /** The commit released, when it is not the one the run checked out (`target-commitish`). */
  commit?: string
  /** SHA-256 of release-manifest.json: 64 hex digits, optionally prefixed `sha256:`. */
  manifestDigest: string
  /** The release published before this one (findPreviousRelease), for the hash chain. */
  previous?: {
    tag: string
    manifestDigest: string
    changeRecordDigest?: string
    /** Withdrawals published since it (findPreviousRelease): recorded in the chain. */
    withdrawals?: readonly { tag: string; withdrawalDigest: string }[]
  }
  /** The commits since the previous release (commitRange). */
  commits?: { from?: string; to: string; count: number }
  /** Without one, personal identifiers are left out of the record. */
  pseudonymizer?: Pseudonymizer
  /** The policy findings a `change-record-policy: warn` release goes ahead with. */
  policy?: { mode: 'warn'; findings: PolicyFinding[] }
  signing: SigningExposure
  now?: Date
  /** 128 random bits as 32 hex digits; generated when absent (tests pass their own). */
  nonce?: string
}

const NONCE = /^[0-9a-f]{32}$/

/**
 * The change record for one release. Everything about the release itself (repository, commit,
 * tag, manifest digest, chain link, run, time, nonce) comes from the run, never from the file;
 * approvers appear only as keyed pseudonyms. The account that triggered the run is not recorded
 * at all: the run URL is public and shows it, so any pseudonym of it could be resolved by anyone
 * and would link that person across every record; the run URL is the pointer for those entitled
 * to look.
 */
export function buildChangeRecord(
  params: BuildChangeRecordParams,
  reporter: Reporter,
): ChangeRecord {
  const { input, run, pseudonymizer } = params
  if (!params.tag) throw new TypeError('tag is required')
  const nonce = params.nonce ?? randomBytes(16).toString('hex')
  if (!NONCE.test(nonce)) throw new TypeError('nonce must be 32 lower-case hex digits')

  if (!input) {
    reporter.warning(
      "No change-record file was given: the change record holds only what the workflow run knows and marks the personal-data impact as 'unassessed'. Set the change-record input to document the change (see docs/gdpr.md).",
    )
  }
  if (!pseudonymizer) {
    reporter.info('No pseudonymization-key is set: approvers are left out of the change record.')
  }

  const record: ChangeRecord = {
    recordVersion: 2,
    release: {
      repository: run.repository,
      commit: commitSha(params.commit ?? run.sha, 'release commit'),
      tag: params.tag,
      ...(params.pushedTag ? { pushedTag: { ...params.pushedTag } } : {}),
      manifest: { name: MANIFEST_FILE, digest: digestSet(params.manifestDigest) },
    },
    chain: { previous: params.previous ? chainLink(params.previous) : null },
    run: {
      url: runUrl(run),
      workflowRef: run.workflowRef,
      eventName: run.eventName,
    },
    createdAt: (params.now ?? new Date()).toISOString(),
    nonce,
    identifiers: pseudonymizer
      ? { scheme: 'hmac-sha256-128', keyId: pseudonymizer.keyId, domain: pseudonymizer.domain }
      : 'omitted-no-key',
    signing: assessIdentityExposure(params.signing, run.repository, reporter),
    personalData: input ? structuredClone(input.personalData) : { impact: 'unassessed' },
  }
  const withdrawals = params.previous?.withdrawals ?? []
  if (withdrawals.length > 0) {
    record.chain.withdrawals = withdrawals.map((w) => ({
      tag: w.tag,
      withdrawalDigest: digestSet(w.withdrawalDigest),
    }))
  }
  if (params.commits) {
    const { from, to, count } = params.commits
    if (!Number.isInteger(count) || count < 0) throw new TypeError('commit count must be >= 0')
    record.chain.commits = {
      ...(from ? { from: commitSha(from, 'range start') } : {}),
      to: commitSha(to, 'range end'),
      count,
    }
  }
  if (input) {
    const change = structuredClone(input.change)
    if (change.approvals) {
      change.approvals = change.approvals.map(({ approver, ...approval }) =>
        approver && pseudonymizer
          ? { ...approval, approver: pseudonymizer.approver(approver) }
          : approval,
      )
    }
    record.change = change
  }
  if (params.policy) record.policy = structuredClone(params.policy)
  return record
}

/**
 * With a public transparency log the signing certificate, which names the repository and so its
 * owner, is published permanently. For an organisation that is no personal data; for a personal
 * account it is, so the choice is surfaced and recorded.
 */
export function assessIdentityExposure(
  signing: SigningExposure,
  repository: string,
  reporter: Reporter,
): ChangeRecord['signing'] {
  const owner = repository.split('/')[0] ?? repository
  const ownerIsPersonalAccount =
    signing.ownerType === 'User' ? true : signing.ownerType === 'Organization' ? false : null
  if (signing.transparencyLog && ownerIsPersonalAccount) {
    reporter.warning(
      `Signing with a public transparency log: the signing certificate names the repository ${repository}, and the log will permanently and publicly link the personal account '${owner}' to this release. It cannot be erased. Use an organisation-owned repository, or a private Sigstore instance, if that is not intended.`,
    )
  } else if (signing.transparencyLog && ownerIsPersonalAccount === null) {
    reporter.warning(
      `Signing with a public transparency log: the certificate names the repository ${repository}; if '${owner}' is a personal account, the log will permanently link that person to this release.`,
    )
  }
  return { transparencyLog: signing.transparencyLog, ownerIsPersonalAccount }
}

/** change-record.json: RFC 8785 canonical bytes, and their SHA-256. */
export function serializeChangeRecord(record: ChangeRecord): { bytes: Buffer; sha256: string } {
  const bytes = canonicalJson(record)
  return { bytes, sha256: hashBytes(bytes) }
}

function digestSet(value: string): DigestSet {
  const hex = value.replace(/^sha256:/, '').toLowerCase()
  if (!isSha256Hex(hex)) throw new TypeError('a manifest digest must be 64 hex digits (sha256)')
  return { sha256: hex }
}

function chainLink(previous: NonNullable<BuildChangeRecordParams['previous']>): ChainLink {
  return {
    tag: previous.tag,
    manifestDigest: digestSet(previous.manifestDigest),
    ...(previous.changeRecordDigest
      ? { changeRecordDigest: digestSet(previous.changeRecordDigest) }
      : {}),
  }
}

function commitSha(value: string, what: string): string {
  const sha = value.toLowerCase()
  if (!GIT_OBJECT_ID.test(sha)) throw new TypeError(`${what} must be a full commit SHA`)
  return sha
}
