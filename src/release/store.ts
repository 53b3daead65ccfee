/**
 * What the release flow needs from a release host, in the flow's own terms. The GitHub
 * implementation (src/github/release-store.ts) is the only place that reads status codes or
 * GitHub's validation codes; the flow sees the outcomes below.
 */
import type { MakeLatest } from '../util/types.ts'
import type { ExistingRelease, ExistingTag, ReportedAsset } from './decisions.ts'

/** What GitHub said about a tag and the releases using it, read before any write. */
export interface ObservedTag {
  existingTag: ExistingTag | undefined
  releases: ExistingRelease[]
  /** The release claim ref of a run adopting the pushed tag (`releaseClaimRef`), if any. */
  releaseClaim?: ExistingTag
}

export interface DraftRelease {
  id: number
  htmlUrl: string
  uploadUrl: string
  assets: ReportedAsset[]
}

/** The fields of a release the flow reads after writing it. */
export interface ReleaseView {
  id: number
  htmlUrl: string
  uploadUrl: string
  draft: boolean
  immutable: boolean | undefined
  tagName: string
}

export type ClaimOutcome =
  /** The ref now points at `objectSha` (a tag object, or the commit itself when lightweight). */
  (
    | { outcome: 'claimed'; objectSha: string }
    /** Another run's ref was there first; `detail` is the host's own words. */
    | { outcome: 'taken'; detail: string }
    /** The host refused the tag itself (for example an unknown commit); `detail` says how. */
    | { outcome: 'refused'; detail: string }
  ) & {
    /** Set when the host cannot create annotated tags and the claim was a lightweight tag. */
    lightweight?: { reason: string }
  }

export type DraftOutcome =
  | { outcome: 'created'; draft: DraftRelease }
  /**
   * `mayExist` when the failure may hide a draft the create made (a lost answer, or a repeated
   * create answered "already exists"); `repeatable` when creating again is safe once a lookup
   * finds no draft of this run (the flow looks first when `mayExist`).
   */
  | { outcome: 'failed'; error: unknown; mayExist: boolean; repeatable: boolean }

export type UploadOutcome =
  | { outcome: 'uploaded'; asset: ReportedAsset }
  /** An asset with this name is already on the release (an earlier try may have stored it). */
  | { outcome: 'duplicate'; error: unknown }
  | { outcome: 'failed'; retryable: boolean; error: unknown }

export type PublishOutcome =
  | { outcome: 'published'; release: ReleaseView }
  /** The publish failed; `repeatable` when the answer was lost and asking again is harmless. */
  | { outcome: 'failed'; error: unknown; repeatable: boolean }

export interface DraftInput {
  tag: string
  commitSha: string
  name: string
  body: string
  prerelease: boolean
}

/** The calls the release flow makes, for one repository. */
export interface ReleaseStore {
  readonly owner: string
  readonly repo: string
  /** The commit a branch, tag or SHA names, or undefined when it names none. */
  resolveCommit(commitish: string): Promise<string | undefined>
  /**
   * The tag (with its annotated tag object) and every release using it, drafts included; with
   * `releaseClaim` (a run adopting a pushed tag) also the release claim ref.
   */
  readTag(tag: string, options?: { releaseClaim?: boolean }): Promise<ObservedTag>
  /** Every release using `tag`, drafts included. */
  releasesWithTag(tag: string): Promise<ExistingRelease[]>
  /** The atomic step that decides which run owns the tag. */
  claimTag(tag: string, commitSha: string, message: string): Promise<ClaimOutcome>
  /** The object a tag ref points at now, or undefined when there is no such tag. */
  tagTarget(tag: string): Promise<string | undefined>
  /**
   * The atomic step that decides which run releases a tag that already exists (a pushed tag):
   * creates the release claim ref (`releaseClaimRef(tag)`) at a tag object carrying `message`,
   * at most once. The tag itself is not touched.
   */
  claimRelease(tag: string, commitSha: string, message: string): Promise<ClaimOutcome>
  /** The object the release claim ref points at now, or undefined when there is none. */
  releaseClaimTarget(tag: string): Promise<string | undefined>
  removeReleaseClaim(tag: string): Promise<void>
  createDraft(input: DraftInput): Promise<DraftOutcome>
  /** The release, or undefined when it does not exist. */
  getRelease(id: number): Promise<ReleaseView | undefined>
  listAssets(releaseId: number): Promise<ReportedAsset[]>
  /** Streams one file to the draft; failures are outcomes, never thrown. */
  upload(draft: DraftRelease, asset: UploadFile): Promise<UploadOutcome>
  deleteAsset(assetId: number): Promise<void>
  /** SHA-256 and size of an asset's stored bytes. */
  hashAsset(assetId: number): Promise<{ sha256: string; size: number }>
  publish(
    releaseId: number,
    options: { makeLatest: MakeLatest; prerelease: boolean },
  ): Promise<PublishOutcome>
  /** The repository's immutable-releases setting; undefined when it cannot be read. */
  immutableReleasesEnabled(): Promise<boolean | undefined>
  removeDraft(releaseId: number): Promise<void>
  removeTag(tag: string): Promise<void>
  /**
   * One error saying that `what` failed, in the host's terms (which service, which status),
   * passing the project's own errors through.
   */
  describeFailure(what: string, error: unknown): Error
  // For withdrawals (issue 12): reading published releases and editing what stays editable.
  /** Every release of the repository, drafts included, newest first, with their assets. */
  listReleases(): Promise<ListedRelease[]>
  /** The tag of the release GitHub marks as latest, or undefined when none is. */
  latestReleaseTag(): Promise<string | undefined>
  /**
   * Changes what an immutable release still allows to change: title, notes and the latest
   * flag. A field left out is left as it is.
   */
  editRelease(releaseId: number, edit: ReleaseEdit): Promise<void>
  /** Streams an asset's bytes to the file at `path`. */
  downloadAsset(assetId: number, path: string): Promise<void>
}

export interface UploadFile {
  name: string
  path: string
  size: number
  contentType: string
  label?: string
}

/** A release as listed, for choosing and marking releases after publishing. */
export interface ListedRelease {
  id: number
  tagName: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  htmlUrl: string
  /** ISO 8601. */
  createdAt: string
  immutable: boolean | undefined
  assets: ReportedAsset[]
}

export interface ReleaseEdit {
  name?: string
  body?: string
  makeLatest?: MakeLatest
}
