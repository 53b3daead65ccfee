// The only code that speaks GitHub REST. Nothing outside src/github/ sees an HTTP status.
export { apiBaseUrl, createGitHubClient, writeIntervalFor } from './client.ts'
export type { GitHubClient } from './client.ts'
export { isAccessDenied, isGitHubError, serviceErrorFor } from './errors.ts'

export { iteratePages, listAllPages } from './paginate.ts'

export {
  AssetTooLargeError,
  downloadAndHashAsset,
  downloadAssetBytes,
  downloadAssetToFile,
} from './assets.ts'
export type { AssetRef } from './assets.ts'

export { compareCommits } from './compare.ts'

export { attestationsUrl, storeAttestationBundle } from './attestations.ts'

export { readRepositoryFacts } from './repository.ts'

export { findReleaseByTag } from './releases.ts'
export { listReleasesWithAssets, listTagCommits } from './release-listing.ts'
export type { ListedAsset, ListedRelease } from './release-listing.ts'
export { findAttestationBundles, findPublishedRelease, isNotFound } from './lookups.ts'
export type { AttestationLookup, PublishedReleaseView, ReleaseAssetView } from './lookups.ts'
export { createReleaseStore } from './release-store.ts'
export { resolveTag } from './tags.ts'
export type { TagResolution } from './tags.ts'
