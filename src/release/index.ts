export { publishRelease } from './flow.ts'
export { checkTagAvailable, refuseOtherTagThanPushed, resolveCommit } from './claim.ts'
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
  ListedRelease,
  ReleaseEdit,
} from './store.ts'
export { validateTagName } from './tag-name.ts'
export { parseReleaseMarker } from './decisions.ts'
export {
  refuseMissingSubjects,
  refuseNamesGitHubRenames,
  releaseAssetFiles,
} from './asset-files.ts'
export { assembleReleaseBody } from './notes.ts'
export {
  type ExistingRelease,
  type ExistingTag,
  type ReportedAsset,
  type RunIdentity,
  type PushedTagRun,
  pushedTagOf,
  releaseClaimRef,
  tagCommit,
} from './decisions.ts'
