export {
  publishRelease,
  checkTagAvailable,
  resolveCommit,
  ReleaseConflictError,
  ReleaseFailedError,
  type ReleaseRequest,
  type ReleaseAssetFile,
  type ReleaseStep,
  type PublishedRelease,
  type ObservedTag,
} from './publish.ts'
export { validateTagName, tagNameProblem } from './tag-name.ts'
export {
  decideStart,
  planAssets,
  checkAssets,
  parseReleaseMarker,
  parseTagClaim,
  type RunIdentity,
  type StartDecision,
} from './decisions.ts'
