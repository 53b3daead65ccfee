import type { GitHubClient } from './client.ts'
import { toGitHubError } from './errors.ts'

export interface RepositoryFacts {
  visibility?: 'public' | 'private' | 'internal'
  ownerType?: 'User' | 'Organization'
}

/**
 * The repository's visibility and owner type from `GET /repos/{owner}/{repo}`, or undefined
 * when they cannot be read (no permission, a network failure); `onUnreadable` hears why, so
 * the caller can say what it assumes instead.
 */
export async function readRepositoryFacts(
  client: GitHubClient,
  owner: string,
  repo: string,
  onUnreadable: (error: unknown) => void = () => {},
): Promise<Required<RepositoryFacts> | undefined> {
  try {
    const { data } = await client.rest.repos.get({ owner, repo })
    const visibility = (data.visibility ?? (data.private ? 'private' : 'public')) as
      'public' | 'private' | 'internal'
    const ownerType = data.owner.type === 'Organization' ? 'Organization' : 'User'
    return { visibility, ownerType }
  } catch (error) {
    onUnreadable(toGitHubError(error, `GET /repos/${owner}/${repo}`))
    return undefined
  }
}
