import type { Mutex } from './http.ts'
import type { FakeState } from './state.ts'
import type { GitHubFakeOptions } from './types.ts'

/** What every resource's handlers share: the one state store and the fake's fixed facts. */
export interface FakeContext {
  readonly state: FakeState
  readonly options: GitHubFakeOptions
  readonly owner: string
  readonly repo: string
  readonly token: string
  /** Where the fake listens; also the REST API base URL. */
  readonly origin: string
  /** `<origin>/repos/<owner>/<repo>`. */
  readonly repoApi: string
  /** The repository's web pages (`html_url`s). */
  readonly htmlRepo: string
  /** Directory holding uploaded asset bytes. */
  readonly storage: string
  readonly lock: Mutex
  /** Asset names whose future uploads are stored with their last byte flipped. */
  readonly corruptedUploads: Set<string>
  newId(): number
}
