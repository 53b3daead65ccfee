// Reads that may find nothing, turned into outcomes: a release by tag (found or absent) and
// the attestations GitHub stores for a digest (found, none, or the API not reachable).
import { errorMessage } from '../util/errors.ts'
import type { GitHubClient } from './client.ts'
import { expectObject, hasStatus, statusOf, toGitHubError } from './errors.ts'
import { iteratePages } from './paginate.ts'
import { reread } from './retry.ts'

export interface ReleaseAssetView {
  id: number
  name: string
  size: number
  /** `sha256:<hex>` as GitHub computed it; null on older GitHub Enterprise Server. */
  digest: string | null
}

export interface PublishedReleaseView {
  id: number
  tagName: string
  htmlUrl: string
  assets: ReleaseAssetView[]
}

interface RawRelease {
  id: number
  tag_name: string
  html_url: string
  draft: boolean
  assets?: { id: number; name: string; size: number; digest?: string | null }[]
}

/** The fields of GitHub's release assets the project reads, `digest` null where none is given. */
export function assetViewsOf(
  assets: readonly { id: number; name: string; size: number; digest?: string | null }[] = [],
): ReleaseAssetView[] {
  return assets.map((a) => ({ id: a.id, name: a.name, size: a.size, digest: a.digest ?? null }))
}

function view(release: RawRelease): PublishedReleaseView {
  return {
    id: release.id,
    tagName: release.tag_name,
    htmlUrl: release.html_url,
    assets: assetViewsOf(release.assets),
  }
}

/**
 * The published (non-draft) release of `tag`, or undefined when there is none. How GitHub's
 * by-tag lookup treats a tag with a slash (`withdrawn/v1.0.0`) is not documented, so its 404
 * is confirmed by listing every release before the answer is "none". Other HTTP errors are
 * GitHubErrors.
 */
export async function findPublishedRelease(
  client: GitHubClient,
  { owner, repo, tag }: { owner: string; repo: string; tag: string },
): Promise<PublishedReleaseView | undefined> {
  try {
    const data = await reread(async () =>
      expectObject(
        (await client.rest.repos.getReleaseByTag({ owner, repo, tag })).data,
        'GET release by tag',
      ),
    )
    return view(data as unknown as RawRelease)
  } catch (error) {
    if (!hasStatus(toGitHubError(error, 'GET release by tag'), 404)) {
      throw toGitHubError(error, `GET /repos/${owner}/${repo}/releases/tags/${tag}`)
    }
  }
  const route = 'GET /repos/{owner}/{repo}/releases'
  for await (const page of iteratePages<RawRelease>(client, route, { owner, repo }, route)) {
    const found = page.find((r) => !r.draft && r.tag_name === tag)
    if (found) return view(found)
  }
  return undefined
}

/** What the attestations API holds for a subject digest. */
export type AttestationLookup =
  | { outcome: 'found'; bundles: unknown[] }
  | { outcome: 'none' }
  /** No permission, no such API (GHES), or a failure: `answer` says which, e.g. `HTTP 403`. */
  | { outcome: 'unavailable'; answer: string }

/**
 * `GET /repos/{owner}/{repo}/attestations/{subject_digest}` (the first 100). 404 means none
 * is stored; 401/403 and any other failure mean the API could not be asked, which a caller
 * reports rather than reads as "none".
 */
export async function findAttestationBundles(
  client: GitHubClient,
  { owner, repo, subjectDigest }: { owner: string; repo: string; subjectDigest: string },
): Promise<AttestationLookup> {
  let data: unknown
  try {
    ;({ data } = await client.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
      owner,
      repo,
      subject_digest: subjectDigest,
      per_page: 100,
    }))
  } catch (error) {
    const status = statusOf(error)
    if (status === 404) return { outcome: 'none' }
    return { outcome: 'unavailable', answer: status ? `HTTP ${status}` : errorMessage(error) }
  }
  const list = (data as { attestations?: unknown } | null)?.attestations
  if (!Array.isArray(list))
    return { outcome: 'unavailable', answer: 'an answer without attestations' }
  const bundles = list
    .map((a) => (a as { bundle?: unknown } | null)?.bundle)
    .filter((b) => b !== null && typeof b === 'object')
  return bundles.length > 0 ? { outcome: 'found', bundles } : { outcome: 'none' }
}

/** GitHub answered that the resource does not exist (or is not shown to this identity): 404. */
export function isNotFound(error: unknown): boolean {
  return hasStatus(error, 404)
}
