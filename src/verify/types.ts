// The words of `immutable-release verify`: what it is asked, what it reads from the folder
// (one VerifyContext), the checks it runs over that context, and the report they add up to.
import type { Manifest } from '../manifest/index.ts'
import type { VerifiedBundle } from '../sign/index.ts'
import type { OtherEntry } from './files.ts'

export interface VerifyReleaseOptions {
  dir: string
  /** `OWNER/REPO` the release must come from. */
  repo: string
  tag?: string
  signerWorkflow?: string
  /** protobuf-specs TrustedRoot JSON. */
  trustedRoot: unknown
  /** `https://github.com` or a GitHub Enterprise Server URL. */
  serverUrl?: string
  /** Where the tag is looked up now (`--release`); without it the tag check says it did not look. */
  tagLookup?: TagLookup
  /**
   * Where withdrawals of this release are looked for: the GitHub source of `--release`, or a
   * folder (`--withdrawal`; default the release folder itself).
   */
  withdrawals?: WithdrawalSource
  /** `--withdrawal-signer-workflow`: glob for the workflow allowed to withdraw. */
  withdrawalSignerWorkflow?: string
  /** `--allow-withdrawn`: a verified withdrawal is reported but does not fail the verification. */
  allowWithdrawn?: boolean
}

/** A withdrawal found somewhere, not yet checked. */
export interface WithdrawalCandidate {
  /** Where it was found, for the report: `release withdrawn/v1.0.0`, `attestations API`, a path. */
  source: string
  recordBytes: Buffer
  bundleBytes: Buffer
}

/** What a look for withdrawals found: candidates, or why nothing could be looked at. */
export interface WithdrawalSearch {
  /** Where it looked, for the report. */
  looked: string[]
  candidates: WithdrawalCandidate[]
  /** Withdrawals found incomplete (a file missing, too large): reported, never counted. */
  invalid: { source: string; problem: string }[]
  /** Places that could not be read (an unreachable API, a file too large): reported. */
  unreachable: string[]
  /** Set when withdrawal status was not checked at all: why, and how to check it. */
  notChecked?: string
}

export interface WithdrawalSource {
  find(release: {
    repository: string
    tag: string
    manifestDigest: string
  }): Promise<WithdrawalSearch>
}

/** A verified withdrawal, as the report shows it. */
export interface WithdrawalSummary {
  /** `sha256:<hex>` of withdrawal.json. */
  digest: string
  source: string
  withdrawnAt: string
  reason: string
  summary: string
  incidentReference?: string
  replacement?: { tag: string; manifestDigest?: string }
  /** The workflow that signed the withdrawal. */
  signer: string
}

/**
 * `withdrawn`: a withdrawal verified; `not-withdrawn`: none was found (or none verified) where
 * it looked; `not-checked`: it could not look (a folder without the withdrawal files).
 */
export type WithdrawalStatusId = 'withdrawn' | 'not-withdrawn' | 'not-checked'

export interface WithdrawalReport {
  status: WithdrawalStatusId
  looked: string[]
  withdrawal?: WithdrawalSummary
  /** Withdrawals that do not verify: reported, never counted. */
  invalid: { source: string; problem: string }[]
  unreachable: string[]
  /** For `not-checked`: why, and how to check. */
  note?: string
  /** `--allow-withdrawn` was given. */
  allowed: boolean
}

export type CheckId =
  | 'assets'
  | 'provenance-signature'
  | 'signer-identity'
  | 'provenance-subjects'
  | 'change-record'
  | 'sha256sums'
  | 'tag-commit'

/** Where a tag points now, as the repository answers (checks/tag-commit.ts asks it). */
export interface TagLookup {
  /** Where it looks, for the report: `octo-org/octo-repo on GitHub`. */
  where: string
  /** The object the tag ref names and the commit it resolves to; undefined: no such tag. */
  resolve(tag: string): Promise<{ objectSha: string; commitSha: string } | undefined>
}

export interface CheckResult {
  id: CheckId
  title: string
  ok: boolean
  /** Why it failed, one line each; or, when it passed, what was established. */
  details: string[]
}

export interface IdentityExpectation {
  /** `https://github.com/OWNER/REPO`. */
  repositoryURI: string
  /** Glob (`*` any run of characters) matched against the build signer workflow. */
  signerWorkflow?: string
}

/** A Sigstore bundle after verification: what it signs, or why it does not verify. */
export interface SignedBundle {
  verified?: VerifiedBundle
  problems: string[]
}

/** `change-record.json` as found in the folder, parsed once for the check and the summary. */
export interface ChangeRecordFile {
  /** Lower-case hex sha256 of its bytes. */
  sha256: string
  /** The parsed JSON, of any shape (read it with checks/statement-shape.ts); undefined when it is not JSON. */
  record?: unknown
  /** Why it is not JSON. */
  parseError?: string
}

/** Everything the checks look at, read from one release folder. */
export interface VerifyContext {
  /** `OWNER/REPO` the release must come from. */
  repo: string
  /** The tag asked for, if one was. */
  requestedTag?: string
  trustedRoot: unknown
  expectation: IdentityExpectation
  manifest: Manifest
  /** Lower-case hex sha256 of the manifest's bytes in the folder. */
  manifestSha256: string
  /** sha256 of every regular file in the folder, by name. */
  files: ReadonlyMap<string, string>
  /** Every entry that is not a regular file (links, folders, FIFOs…), by name, never opened. */
  otherEntries: readonly OtherEntry[]
  provenance: SignedBundle
  /** Release files that were not read, by name: why (a FIFO, a link, too large…). */
  unreadable: ReadonlyMap<string, string>
  /** Undefined when the folder has no change record. */
  changeRecord?: ChangeRecordFile
  /** The change record's Sigstore bundle, unverified; undefined when it is missing. */
  changeRecordBundle?: Buffer
  /** SHA256SUMS as text; undefined when it is missing. */
  sha256sums?: string
  /** From `VerifyReleaseOptions.tagLookup`. */
  tagLookup?: TagLookup
}

/** One verdict a reviewer reads: a future `audit` command runs the same list per release. */
export interface Check {
  id: CheckId
  title: string
  run(ctx: VerifyContext): Promise<CheckResult> | CheckResult
}

export interface ChangeRecordSummary {
  changeId?: string
  title?: string
  reason?: string
  personalDataImpact?: string
  approvals: { role?: string; decision?: string; approver?: string }[]
  dpiaReference?: string
  previousRelease?: string
  digest: string
}

export interface VerificationReport {
  /** Every check passed and the release is not withdrawn (or `--allow-withdrawn` was given). */
  verified: boolean
  repository: string
  tag?: string
  manifestDigest?: string
  checks: CheckResult[]
  changeRecord?: ChangeRecordSummary
  withdrawal?: WithdrawalReport
}
