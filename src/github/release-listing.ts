// What `audit` reads from GitHub: every release with its assets (one paginated list), the
// commit each tag points at (one paginated list). The small assets it checks are read with
// downloadAssetBytes (assets.ts), the one downloader.
import type { GitHubClient } from './client.ts'
import { assetViewsOf } from './lookups.ts'
import type { ReleaseAssetView } from './lookups.ts'
import { iteratePages } from './paginate.ts'

export type ListedAsset = ReleaseAssetView

export interface ListedRelease {
  id: number
  tag: string
  draft: boolean
  prerelease: boolean
  createdAt: string
  publishedAt: string | null
  assets: ListedAsset[]
}

interface ApiRelease {
  id: number
  tag_name: string
  draft: boolean
  prerelease: boolean
  created_at: string
  published_at: string | null
  assets?: { id: number; name: string; size: number; digest?: string | null }[]
}

/**
 * Every release of the repository as GitHub lists them (newest first), drafts included when
 * the token may see them, each kept to the fields an audit reads so 500 releases stay small.
 */
export async function listReleasesWithAssets(
  client: GitHubClient,
  { owner, repo }: { owner: string; repo: string },
): Promise<ListedRelease[]> {
  const route = 'GET /repos/{owner}/{repo}/releases'
  const releases: ListedRelease[] = []
  for await (const page of iteratePages<ApiRelease>(client, route, { owner, repo }, route)) {
    for (const r of page) {
      releases.push({
        id: r.id,
        tag: r.tag_name,
        draft: r.draft,
        prerelease: r.prerelease,
        createdAt: r.created_at,
        publishedAt: r.published_at,
        assets: assetViewsOf(r.assets),
      })
    }
  }
  return releases
}

/**
 * The commit each tag points at (`GET /repos/{owner}/{repo}/tags`, which peels annotated tags
 * to their commit), so a moved tag costs no request per release.
 */
export async function listTagCommits(
  client: GitHubClient,
  { owner, repo }: { owner: string; repo: string },
): Promise<Map<string, string>> {
  const route = 'GET /repos/{owner}/{repo}/tags'
  const commits = new Map<string, string>()
  for await (const page of iteratePages<{ name: string; commit: { sha: string } }>(
    client,
    route,
    { owner, repo },
    route,
  )) {
    for (const tag of page) commits.set(tag.name, tag.commit.sha)
  }
  return commits
}
