import type { components } from '@octokit/openapi-types'

export type Release = components['schemas']['release']
export type ReleaseAsset = components['schemas']['release-asset']
export type GitRef = components['schemas']['git-ref']
export type GitTag = components['schemas']['git-tag']
export type SimpleUser = components['schemas']['simple-user']

export interface FakeCommitInput {
  /** 40 hex digits; derived from the other fields when left out. */
  sha?: string
  message: string
  author: { name: string; email: string; date: string }
  /** Parent SHAs (none for a root commit). */
  parents?: string[]
}

export interface FakeCommit {
  sha: string
  message: string
  author: { name: string; email: string; date: string }
  parents: string[]
}

export interface FakeTagObject {
  sha: string
  tag: string
  message: string
  object: { sha: string; type: string }
  tagger: { name: string; email: string; date: string }
}

export interface FakeRepository {
  owner: string
  name: string
  id: number
  visibility: 'public' | 'private' | 'internal'
  ownerType: 'User' | 'Organization'
  immutableReleases: boolean
  enforcedByOwner: boolean
  defaultBranch: string
}

/** An asset as stored: the API view plus where its bytes are on disk. */
export interface StoredAsset {
  asset: ReleaseAsset
  releaseId: number
  file: string
}

/** A release as stored: the API view without its assets (they are joined on read). */
export interface StoredRelease {
  release: Omit<Release, 'assets'>
  /** Set once a release is published while the repository's immutable-releases setting is on. */
  immutable: boolean
  /** Marker used to build the `untagged-...` URL GitHub gives drafts. */
  untaggedId: string
}

export interface FakeAttestation {
  id: number
  bundle: Record<string, unknown>
  subjectDigests: string[]
}

/** Everything the fake knows; tests read it to assert what GitHub would now hold. */
export interface FakeState {
  repository: FakeRepository
  commits: Map<string, FakeCommit>
  /** Full ref name (`refs/tags/v1`) → object SHA (a commit or an annotated tag object). */
  refs: Map<string, string>
  tagObjects: Map<string, FakeTagObject>
  releases: Map<number, StoredRelease>
  assets: Map<number, StoredAsset>
  attestations: FakeAttestation[]
  /** Tag names once used by an immutable release: GitHub never lets them be used again. */
  burnedTagNames: Set<string>
  /** The release marked latest by `make_latest`, if any. */
  latestReleaseId: number | undefined
}

/** An empty repository with GitHub's defaults, overridden by `settings`. */
export function createFakeState(
  owner: string,
  name: string,
  settings: Partial<FakeRepository> = {},
): FakeState {
  return {
    repository: {
      owner,
      name,
      id: 424242,
      visibility: 'public',
      ownerType: 'Organization',
      immutableReleases: false,
      enforcedByOwner: false,
      defaultBranch: 'main',
      ...settings,
    },
    commits: new Map(),
    refs: new Map(),
    tagObjects: new Map(),
    releases: new Map(),
    assets: new Map(),
    attestations: [],
    burnedTagNames: new Set(),
    latestReleaseId: undefined,
  }
}

export function assetsOfRelease(state: FakeState, releaseId: number): StoredAsset[] {
  return [...state.assets.values()].filter((a) => a.releaseId === releaseId)
}

/** The published immutable release using a tag, if any: its tag may not move or go. */
export function immutableReleaseForTag(state: FakeState, tag: string): StoredRelease | undefined {
  return [...state.releases.values()].find(
    (r) => r.immutable && !r.release.draft && r.release.tag_name === tag,
  )
}

/** A tag ref that may not be created, moved or deleted: used by an immutable release. */
export function isProtectedTagRef(state: FakeState, ref: string): boolean {
  if (!ref.startsWith('refs/tags/')) return false
  const tag = ref.slice('refs/tags/'.length)
  return immutableReleaseForTag(state, tag) !== undefined || state.burnedTagNames.has(tag)
}
