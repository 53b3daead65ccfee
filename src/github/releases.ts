import type { GitHubClient } from './client.ts'
import { expectObject, toGitHubError } from './errors.ts'
import { reread } from './retry.ts'

/**
 * The published release of `tag` (`GET /releases/tags/{tag}`, which does not see drafts). An
 * HTTP error, a missing release's 404 included, is a GitHubError.
 */
export async function findReleaseByTag(
  client: GitHubClient,
  { owner, repo, tag }: { owner: string; repo: string; tag: string },
): Promise<{ id: number; tagName: string }> {
  try {
    const data = await reread(async () =>
      expectObject(
        (await client.rest.repos.getReleaseByTag({ owner, repo, tag })).data,
        'GET release by tag',
      ),
    )
    return { id: data.id, tagName: data.tag_name }
  } catch (error) {
    throw toGitHubError(error, `GET /repos/${owner}/${repo}/releases/tags/${tag}`)
  }
}
