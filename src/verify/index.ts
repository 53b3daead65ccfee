// What the CLI uses. Tests (and a future `audit` command) import the checks, the context and
// the types by path: src/verify/checks/index.ts, src/verify/context.ts, src/verify/types.ts.
export { verifyReleaseDirectory } from './verify-release.ts'
export { renderReport } from './report.ts'
export { downloadReleaseAssets, parseReleaseRef } from './download.ts'
export { folderWithdrawalSource, gitHubWithdrawalSource } from './withdrawals.ts'
export { loadTrustedRoot } from './trusted-root.ts'
export { verifyRequested } from './verify-request.ts'
export type { VerifyRequest } from './verify-request.ts'
export type { VerificationReport, WithdrawalReport, WithdrawalSource } from './types.ts'
// What `audit` runs per release: the same checks over a context it builds from GitHub's listing.
export { VERIFY_CHECKS } from './checks/index.ts'
export { summariseChangeRecord } from './checks/change-record-summary.ts'
export { buildVerifyContext, identityExpectation, readManifestFile } from './context.ts'
export { verifySigned } from './signatures.ts'
export type {
  ChangeRecordFile,
  ChangeRecordSummary,
  CheckId,
  CheckResult,
  SignedBundle,
  VerifyContext,
} from './types.ts'
/**
 * Re-exported only for __tests__/hostile/support-world.ts and support-process.ts; remove once
 * they import it from src/util/release-files.ts.
 */
