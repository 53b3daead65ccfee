export { publishRelease } from './flow.ts'
export { checkTagAvailable, resolveCommit } from './claim.ts'
export { ReleaseConflictError, ReleaseFailedError } from './errors.ts'
export type { PublishedRelease } from './request.ts'
export type {
  ReleaseStore,
  ObservedTag,
  ClaimOutcome,
  DraftOutcome,
  DraftRelease,
  DraftInput,
  PublishOutcome,
  ReleaseView,
  UploadFile,
  UploadOutcome,
} from './store.ts'
export { validateTagName } from './tag-name.ts'
export { refuseMissingSubjects, releaseAssetFiles } from './asset-files.ts'
export { assembleReleaseBody } from './notes.ts'
export {
  type ExistingRelease,
  type ExistingTag,
  type ReportedAsset,
  type RunIdentity,
} from './decisions.ts'
