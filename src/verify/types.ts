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
}

export type CheckId =
  | 'assets'
  | 'provenance-signature'
  | 'signer-identity'
  | 'provenance-subjects'
  | 'change-record'
  | 'sha256sums'

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
  verified: boolean
  repository: string
  tag?: string
  manifestDigest?: string
  checks: CheckResult[]
  changeRecord?: ChangeRecordSummary
}
