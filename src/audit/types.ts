// The words of `immutable-release audit`: what it reads per release, what it concludes about
// each, the findings about the chain, and the report they add up to. The string ids of
// statuses and finding kinds are part of the `--json` output (docs/verifying.md).
import type { ChangeRecord } from '../change-record/index.ts'
import type { CheckResult, VerifyContext } from '../verify/index.ts'
import type { WithdrawalRecord } from '../withdrawal/index.ts'

/** A release as the audit lists it. */
export type ReleaseStatus = 'verified' | 'not-verified' | 'unsigned' | 'withdrawn'

export const RELEASE_STATUSES: readonly ReleaseStatus[] = [
  'verified',
  'not-verified',
  'unsigned',
  'withdrawn',
]

export type FindingKind =
  | 'unsigned-release'
  | 'verification-failed'
  | 'broken-link'
  | 'missing-predecessor'
  | 'fork'
  | 'orphan'
  | 'tag-moved'
  | 'withdrawal-invalid'
  | 'withdrawal-unverified'

export const FINDING_KINDS: readonly FindingKind[] = [
  'unsigned-release',
  'verification-failed',
  'broken-link',
  'missing-predecessor',
  'fork',
  'orphan',
  'tag-moved',
  'withdrawal-invalid',
  'withdrawal-unverified',
]

/** The withdrawal files found on a `withdrawn/<tag>` release (or sub-folder), unchecked. */
export interface WithdrawalEvidence {
  /** The `withdrawn/<tag>` release carrying it. */
  releaseTag: string
  /** The tag it says it withdraws. */
  withdrawnTag: string
  recordBytes?: Buffer
  bundleBytes?: Buffer
  /** Why the files could not be read. */
  problem?: string
}

/** One release's evidence, read from GitHub or from a folder, before any conclusion. */
export interface ReleaseEvidence {
  tag: string
  /** When GitHub published it (ISO 8601); in folder mode the signed record's `createdAt`. */
  date?: string
  prerelease: boolean
  /** The verify context; absent when the release carries no release-manifest.json. */
  context?: VerifyContext
  /** The manifest exists but cannot be read or parsed: why. */
  manifestProblem?: string
  /** sha256 hex of its change-record.json as stored (GitHub's digest or the folder's bytes). */
  changeRecordSha256?: string
}

/** What the audit concluded about one release (small: 500 of them stay in memory). */
export interface AuditedRelease {
  tag: string
  date?: string
  prerelease: boolean
  status: ReleaseStatus
  /** It carries a release-manifest.json (made by the action), whether or not it verifies. */
  signed: boolean
  /** sha256 hex of release-manifest.json; absent for an unsigned release. */
  manifestSha256?: string
  changeRecordSha256?: string
  /** Every check of `verify` (empty for an unsigned release). */
  checks: CheckResult[]
  /** The commit the verified provenance names. */
  commit?: string
  /** The build signer workflow of the verified provenance. */
  signerWorkflow?: string
  /** The change record, only when its check passed (signed over exactly these bytes). */
  record?: ChangeRecord
  /** The verified withdrawal of this release. */
  withdrawal?: WithdrawalRecord
}

export interface Finding {
  kind: FindingKind
  /** The release the finding is about. */
  release: string
  /** Other releases it involves (the predecessor named, the other side of a fork). */
  related: string[]
  /** One line, what is wrong. */
  message: string
}

/** The record's link to its predecessor, when the record can be trusted. */
export type TrustedLink = ChangeRecord['chain']['previous']

export interface AuditReport {
  repository: string
  /** When the audit ran (ISO 8601). */
  auditedAt: string
  source: 'github' | 'folder'
  /** What the signatures were checked against: a file's path and digest, or the public-good root. */
  trustedRoot: { source: string; sha256: string }
  /** Oldest first. */
  releases: AuditedRelease[]
  findings: Finding[]
  /** Notes about what this audit could not check (tags offline, say). */
  notes: string[]
  summary: {
    releases: number
    verified: number
    withdrawn: number
    unsigned: number
    notVerified: number
    findings: number
  }
}

/** What reading one withdrawal concluded. */
export type WithdrawalOutcome =
  | { status: 'verified'; record: WithdrawalRecord }
  | { status: 'invalid'; problem: string }
  | { status: 'unverified'; problem: string }
