import type { ResponseViolation } from './openapi-validator.ts'
import type { FakeCommitInput, FakeRepository, FakeState, ReleaseAsset } from './state.ts'

export type FaultAction =
  | {
      status: 500 | 502 | 503 | 429 | 403
      headers?: Record<string, string>
      body?: unknown
      afterEffect?: boolean
    }
  | { reset: true; afterEffect?: boolean }
  | { truncate: true; afterEffect?: boolean }
  | { delayMs: number }

export interface FaultPlan {
  method: string
  /** `'POST /repos/{owner}/{repo}/git/refs'` (OpenAPI template) or a RegExp tested on `METHOD /path`. */
  route: string | RegExp
  /** 1 = the first matching request. */
  ordinal?: number
  /** `'reset'` destroys the socket, `'truncate'` sends half a body then destroys it. */
  fault: FaultAction | 'reset' | 'truncate'
}

export interface RecordedRequest {
  method: string
  path: string
  /** OpenAPI template the request matched, e.g. `/repos/{owner}/{repo}/releases`. */
  route: string | undefined
  status: number
  faulted: boolean
}

/** The repository settings a test may choose. */
export type RepositorySettings = Partial<
  Pick<FakeRepository, 'visibility' | 'ownerType' | 'immutableReleases' | 'enforcedByOwner'>
>

export interface GitHubFakeOptions {
  token?: string
  owner?: string
  repo?: string
  /** Check every response against GitHub's OpenAPI description (recorded in `violations`). */
  validateResponses?: boolean
  /** `'null'` answers `digest: null` like older GitHub Enterprise Server versions. */
  assetDigests?: 'sha256' | 'null'
  /** How `POST /attestations` answers: stored (default), or refused. */
  attestations?: 'store' | 403 | 404
  /** `false`: no git tags API (`POST /git/tags` answers 404), as on some compatible servers. */
  annotatedTags?: boolean
  repository?: RepositorySettings
}

export interface GitHubFake {
  /** REST API base URL (pass as the client's `baseUrl`). */
  readonly url: string
  readonly token: string
  readonly owner: string
  readonly repo: string
  readonly state: FakeState
  readonly requests: RecordedRequest[]
  readonly violations: ResponseViolation[]
  /** Seeds a commit; returns its SHA. */
  addCommit(commit: FakeCommitInput): string
  /** Points `refs/heads/<name>` (or any full ref name) at a commit. */
  setRef(ref: string, sha: string): void
  setRepository(settings: RepositorySettings): void
  injectFault(plan: FaultPlan): void
  /** Future uploads with this asset name are stored with their last byte flipped. */
  corruptUploadsOf(name: string): void
  /** Asset records (with bytes) of a release, in upload order. */
  assetsOf(releaseId: number): ReleaseAsset[]
  close(): Promise<void>
}
