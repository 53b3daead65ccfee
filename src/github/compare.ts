import type { GitHubClient } from './client.ts'
import { toGitHubError } from './errors.ts'
import { PER_PAGE } from './paginate.ts'

export interface ComparedCommit {
  sha: string
  message: string
  author?: { name?: string | null; email?: string | null }
}

/** One page of `GET /repos/{owner}/{repo}/compare/{basehead}`. */
export interface ComparePage {
  /** Commits reachable from head but not from base, over all pages. */
  totalCommits: number
  baseSha: string
  /** ahead, identical, behind or diverged. */
  status: string
  commits: ComparedCommit[]
}

/**
 * Page `page` (from 1) of the comparison of `base...head`, at most PER_PAGE commits. GitHub's
 * compare API pages by `page` without a Link header's end, so the caller decides when it has
 * seen every commit. An HTTP error is a GitHubError.
 */
export async function compareCommits(
  client: GitHubClient,
  params: { owner: string; repo: string; base: string; head: string; page: number },
): Promise<ComparePage> {
  const { owner, repo, base, head, page } = params
  const basehead = `${base}...${head}`
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead,
      per_page: PER_PAGE,
      page,
    })
    return {
      totalCommits: data.total_commits,
      baseSha: data.base_commit.sha,
      status: data.status,
      commits: data.commits.map((c) => ({
        sha: c.sha,
        message: c.commit.message,
        ...(c.commit.author ? { author: c.commit.author } : {}),
      })),
    }
  } catch (error) {
    throw toGitHubError(error, `GET /repos/${owner}/${repo}/compare/${basehead}`)
  }
}
