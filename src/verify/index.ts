export { verifyReleaseDirectory, RELEASE_METADATA_FILES } from './verify-release.ts'
export type {
  VerificationReport,
  VerifyReleaseOptions,
  ChangeRecordSummary,
} from './verify-release.ts'
export type { CheckResult, CheckId } from './checks.ts'
export { workflowPattern } from './checks.ts'
export { renderReport } from './report.ts'
export { downloadReleaseAssets, parseReleaseRef } from './download.ts'
export type { ReleaseRef } from './download.ts'
