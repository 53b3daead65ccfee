export { verifyReleaseDirectory } from './verify-release.ts'
/** Files the action adds beside the artifacts; checked, not listed in the manifest. */
export { RELEASE_METADATA_FILES } from '../util/release-files.ts'
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
