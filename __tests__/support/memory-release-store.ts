/**
 * An in-memory ReleaseStore for the release flow's tests, and a fault plan that wraps any
 * store (this one or the GitHub one) to fail, hang or lose the answer of chosen calls.
 */
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import type { ExistingRelease, ExistingTag, ReportedAsset } from '../../src/release/decisions.ts'
import type {
  ClaimOutcome,
  DraftInput,
  DraftOutcome,
  DraftRelease,
  ObservedTag,
  PublishOutcome,
  ReleaseStore,
  ReleaseView,
  UploadFile,
  UploadOutcome,
  ListedRelease,
  ReleaseEdit,
} from '../../src/release/store.ts'
import { InputError, errorMessage } from '../../src/util/errors.ts'
import type { MakeLatest } from '../../src/util/types.ts'

export interface MemoryRelease {
  id: number
  tagName: string
  targetCommitish: string
  name: string
  body: string
  draft: boolean
  prerelease: boolean
  makeLatest?: MakeLatest
  immutable: boolean
}

export interface MemoryStoreOptions {
  /** Commits the repository has, and branch names pointing at them. */
  commits?: string[]
  branches?: Record<string, string>
  /** False for a server without the git tags API (claims are lightweight tags). */
  annotatedTags?: boolean
  /** False for older GHES: assets carry no digest and must be hashed. */
  assetDigests?: boolean
  /** The repository's immutable-releases setting; undefined when it cannot be read. */
  immutableReleases?: boolean | undefined
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')

/** A repository's tags, releases and assets, kept in maps the tests can read. */
export class MemoryReleaseStore implements ReleaseStore {
  readonly owner = 'octo-org'
  readonly repo = 'widget'
  readonly refs = new Map<string, string>()
  /** Release claims of pushed tags: tag name → the claim's tag object (or commit). */
  readonly releaseClaims = new Map<string, string>()
  readonly tagObjects = new Map<string, { message: string; targetSha: string }>()
  readonly releases = new Map<number, MemoryRelease>()
  readonly assets = new Map<number, ReportedAsset & { releaseId: number; bytes: Buffer }>()
  /** Names of assets whose stored bytes get one byte flipped (a storage fault). */
  readonly corruptUploads = new Set<string>()
  /** Every call made, by method name, in order. */
  readonly calls: string[] = []
  private readonly commits: Set<string>
  private readonly branches: Map<string, string>
  private readonly options: MemoryStoreOptions
  private nextId = 1

  constructor(options: MemoryStoreOptions = {}) {
    this.options = options
    this.commits = new Set(options.commits ?? [])
    this.branches = new Map(Object.entries(options.branches ?? {}))
  }

  /** The method names of the calls that write. */
  writes(): string[] {
    const writers = [
      'claimTag',
      'createDraft',
      'upload',
      'deleteAsset',
      'publish',
      'removeDraft',
      'removeTag',
      'claimRelease',
      'removeReleaseClaim',
      'editRelease',
    ]
    return this.calls.filter((c) => writers.includes(c))
  }

  async resolveCommit(commitish: string): Promise<string | undefined> {
    this.calls.push('resolveCommit')
    const sha = this.branches.get(commitish) ?? commitish.toLowerCase()
    return this.commits.has(sha) ? sha : undefined
  }

  async readTag(tag: string, options: { releaseClaim?: boolean } = {}): Promise<ObservedTag> {
    this.calls.push('readTag')
    const existingTag = this.refWithTagObject(this.refs.get(tag))
    const releaseClaim = options.releaseClaim
      ? this.refWithTagObject(this.releaseClaims.get(tag))
      : undefined
    return { existingTag, releases: this.usingTag(tag), ...(releaseClaim ? { releaseClaim } : {}) }
  }

  private refWithTagObject(objectSha: string | undefined): ExistingTag | undefined {
    if (objectSha === undefined) return undefined
    const tagObject = this.tagObjects.get(objectSha)
    return {
      objectType: tagObject ? 'tag' : 'commit',
      objectSha,
      ...(tagObject ? { tagObject } : {}),
    }
  }

  async releasesWithTag(tag: string): Promise<ExistingRelease[]> {
    this.calls.push('releasesWithTag')
    return this.usingTag(tag)
  }

  private usingTag(tag: string): ExistingRelease[] {
    return [...this.releases.values()]
      .filter((r) => r.tagName === tag)
      .map((r) => ({
        id: r.id,
        draft: r.draft,
        htmlUrl: this.url(r),
        tagName: r.tagName,
        body: r.body,
      }))
  }

  async claimTag(tag: string, commitSha: string, message: string): Promise<ClaimOutcome> {
    this.calls.push('claimTag')
    if (!this.commits.has(commitSha)) {
      return {
        outcome: 'refused',
        detail: `GitHub refused a tag at ${commitSha}: Object does not exist`,
      }
    }
    if (this.refs.has(tag)) return { outcome: 'taken', detail: 'Reference already exists' }
    if (this.options.annotatedTags === false) {
      this.refs.set(tag, commitSha)
      return { outcome: 'claimed', objectSha: commitSha, lightweight: { reason: 'HTTP 404' } }
    }
    const objectSha = sha256(`${tag}\n${message}\n${this.nextId++}`).slice(0, 40)
    this.tagObjects.set(objectSha, { message, targetSha: commitSha })
    this.refs.set(tag, objectSha)
    return { outcome: 'claimed', objectSha }
  }

  async tagTarget(tag: string): Promise<string | undefined> {
    this.calls.push('tagTarget')
    return this.refs.get(tag)
  }

  async claimRelease(tag: string, commitSha: string, message: string): Promise<ClaimOutcome> {
    this.calls.push('claimRelease')
    if (this.releaseClaims.has(tag)) return { outcome: 'taken', detail: 'Reference already exists' }
    if (this.options.annotatedTags === false) {
      this.releaseClaims.set(tag, commitSha)
      return { outcome: 'claimed', objectSha: commitSha, lightweight: { reason: 'HTTP 404' } }
    }
    const objectSha = sha256(`claim ${tag}\n${message}\n${this.nextId++}`).slice(0, 40)
    this.tagObjects.set(objectSha, { message, targetSha: commitSha })
    this.releaseClaims.set(tag, objectSha)
    return { outcome: 'claimed', objectSha }
  }

  async releaseClaimTarget(tag: string): Promise<string | undefined> {
    this.calls.push('releaseClaimTarget')
    return this.releaseClaims.get(tag)
  }

  async removeReleaseClaim(tag: string): Promise<void> {
    this.calls.push('removeReleaseClaim')
    this.releaseClaims.delete(tag)
  }

  async createDraft(input: DraftInput): Promise<DraftOutcome> {
    this.calls.push('createDraft')
    const release: MemoryRelease = {
      id: this.nextId++,
      tagName: input.tag,
      targetCommitish: input.commitSha,
      name: input.name,
      body: input.body,
      draft: true,
      prerelease: input.prerelease,
      immutable: false,
    }
    this.releases.set(release.id, release)
    return { outcome: 'created', draft: this.draftOf(release) }
  }

  private draftOf(release: MemoryRelease): DraftRelease {
    return {
      id: release.id,
      htmlUrl: this.url(release),
      uploadUrl: `memory://${release.id}`,
      assets: [],
    }
  }

  private url(release: MemoryRelease): string {
    const page = release.draft ? `untagged-${release.id}` : `tag/${release.tagName}`
    return `https://github.example/${this.owner}/${this.repo}/releases/${page}`
  }

  private view(release: MemoryRelease): ReleaseView {
    return {
      ...this.draftOf(release),
      draft: release.draft,
      immutable: release.immutable,
      tagName: release.tagName,
    }
  }

  async getRelease(id: number): Promise<ReleaseView | undefined> {
    this.calls.push('getRelease')
    const release = this.releases.get(id)
    return release && this.view(release)
  }

  async listAssets(releaseId: number): Promise<ReportedAsset[]> {
    this.calls.push('listAssets')
    return [...this.assets.values()]
      .filter((a) => a.releaseId === releaseId)
      .map(({ id, name, size, state, digest }) => ({ id, name, size, state, digest }))
  }

  async upload(draft: DraftRelease, file: UploadFile): Promise<UploadOutcome> {
    this.calls.push('upload')
    if (!this.releases.get(draft.id)?.draft) {
      return { outcome: 'failed', retryable: false, error: new Error('Not Found') }
    }
    if ([...this.assets.values()].some((a) => a.releaseId === draft.id && a.name === file.name)) {
      return { outcome: 'duplicate', error: new Error('Validation Failed: already_exists') }
    }
    const bytes = await readFile(file.path)
    if (this.corruptUploads.has(file.name)) bytes[0] = (bytes[0] ?? 0) ^ 0xff
    const asset = {
      id: this.nextId++,
      releaseId: draft.id,
      name: file.name,
      size: bytes.length,
      state: 'uploaded',
      digest: this.options.assetDigests === false ? null : `sha256:${sha256(bytes)}`,
      bytes,
    }
    this.assets.set(asset.id, asset)
    const { id, name, size, state, digest } = asset
    return { outcome: 'uploaded', asset: { id, name, size, state, digest } }
  }

  async deleteAsset(assetId: number): Promise<void> {
    this.calls.push('deleteAsset')
    this.assets.delete(assetId)
  }

  async hashAsset(assetId: number): Promise<{ sha256: string; size: number }> {
    this.calls.push('hashAsset')
    const asset = this.assets.get(assetId)
    if (!asset) throw new Error(`no asset ${assetId}`)
    return { sha256: sha256(asset.bytes), size: asset.bytes.length }
  }

  async publish(
    releaseId: number,
    options: { makeLatest: MakeLatest; prerelease: boolean },
  ): Promise<PublishOutcome> {
    this.calls.push('publish')
    const release = this.releases.get(releaseId)
    if (!release) return { outcome: 'failed', error: new Error('Not Found'), repeatable: false }
    Object.assign(release, {
      draft: false,
      prerelease: options.prerelease,
      makeLatest: options.makeLatest,
      immutable: this.options.immutableReleases === true,
    })
    return { outcome: 'published', release: this.view(release) }
  }

  async immutableReleasesEnabled(): Promise<boolean | undefined> {
    this.calls.push('immutableReleasesEnabled')
    return 'immutableReleases' in this.options ? this.options.immutableReleases : false
  }

  async removeDraft(releaseId: number): Promise<void> {
    this.calls.push('removeDraft')
    this.releases.delete(releaseId)
    for (const [id, asset] of this.assets) if (asset.releaseId === releaseId) this.assets.delete(id)
  }

  async removeTag(tag: string): Promise<void> {
    this.calls.push('removeTag')
    this.refs.delete(tag)
  }

  describeFailure(what: string, error: unknown): Error {
    if (
      error instanceof InputError ||
      (error instanceof Error && error.name.startsWith('Release'))
    ) {
      return error as Error
    }
    return new Error(`${what} failed: ${errorMessage(error)}`, { cause: error })
  }

  /** The release marked latest (the memory store's `make_latest`: only explicit `true` sets it). */
  latestId: number | undefined

  async listReleases(): Promise<ListedRelease[]> {
    this.calls.push('listReleases')
    return [...this.releases.values()]
      .sort((a, b) => b.id - a.id)
      .map((r) => ({
        id: r.id,
        tagName: r.tagName,
        name: r.name,
        body: r.body,
        draft: r.draft,
        prerelease: r.prerelease,
        htmlUrl: this.url(r),
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, r.id)).toISOString(),
        immutable: r.immutable,
        assets: [...this.assets.values()]
          .filter((a) => a.releaseId === r.id)
          .map(({ id, name, size, state, digest }) => ({ id, name, size, state, digest })),
      }))
  }

  async latestReleaseTag(): Promise<string | undefined> {
    this.calls.push('latestReleaseTag')
    return this.latestId === undefined ? undefined : this.releases.get(this.latestId)?.tagName
  }

  async editRelease(releaseId: number, edit: ReleaseEdit): Promise<void> {
    this.calls.push('editRelease')
    const release = this.releases.get(releaseId)
    if (!release) throw new Error('Not Found')
    if (edit.name !== undefined) release.name = edit.name
    if (edit.body !== undefined) release.body = edit.body
    if (edit.makeLatest === 'true') this.latestId = releaseId
    if (edit.makeLatest === 'false' && this.latestId === releaseId) this.latestId = undefined
  }

  async downloadAsset(assetId: number, path: string): Promise<void> {
    this.calls.push('downloadAsset')
    const asset = this.assets.get(assetId)
    if (!asset) throw new Error(`no asset ${assetId}`)
    await writeFile(path, asset.bytes)
  }
}

type StoreMethod = {
  [K in keyof ReleaseStore]: ReleaseStore[K] extends (...args: never[]) => unknown ? K : never
}[keyof ReleaseStore]

export interface Fault {
  method: StoreMethod
  /** Which call of the method is faulted first (1 = the first; default 1). */
  from?: number
  /** How many calls in a row (default 1); 'always' for every call from `from` on. */
  times?: number | 'always'
  /**
   * `fail` throws before the call; `lose-answer` makes the call, then throws as if its answer
   * was lost; `hang` never answers (a crashed runner). Default `fail`.
   */
  kind?: 'fail' | 'lose-answer' | 'hang'
  /** What the faulted call answers instead of throwing (an outcome, for outcome methods). */
  answer?: unknown
}

/** Wraps `store` so the calls `faults` name fail, hang or lose their answer. */
export function withFaults<S extends ReleaseStore>(
  store: S,
  faults: Fault[],
): S & { fired: string[] } {
  const counts = new Map<string, number>()
  const fired: string[] = []
  const faultFor = (method: string, call: number): Fault | undefined =>
    faults.find((f) => {
      const from = f.from ?? 1
      const times = f.times ?? 1
      return f.method === method && call >= from && (times === 'always' || call < from + times)
    })
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'fired') return fired
      const value: unknown = Reflect.get(target, property, receiver)
      const method = String(property)
      if (typeof value !== 'function') return value
      if (!faults.some((f) => f.method === method)) return value.bind(target) as unknown
      return async (...args: unknown[]) => {
        const call = (counts.get(method) ?? 0) + 1
        counts.set(method, call)
        const fault = faultFor(method, call)
        if (!fault) return (value as (...a: unknown[]) => unknown).apply(target, args)
        fired.push(`${method}#${call}`)
        if (fault.kind === 'hang') return new Promise(() => undefined)
        if (fault.kind === 'lose-answer')
          await (value as (...a: unknown[]) => unknown).apply(target, args)
        if ('answer' in fault) return fault.answer
        throw new Error(`injected fault in ${method} (call ${call})`)
      }
    },
  }) as S & { fired: string[] }
}
