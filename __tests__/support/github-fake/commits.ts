import type { FakeContext } from './context.ts'
import { ancestors, resolveCommitish, sha1 } from './git.ts'
import { HttpError, notFound, type Reply } from './http.ts'
import { unsignedVerification } from './representations.ts'
import type { Router } from './router.ts'
import type { FakeCommit } from './state.ts'

function commitJson(fake: FakeContext, commit: FakeCommit): Record<string, unknown> {
  const url = `${fake.repoApi}/commits/${commit.sha}`
  const gitUser = { ...commit.author }
  const tree = sha1(`tree ${commit.sha}`)
  return {
    url,
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 12)}`,
    html_url: `${fake.htmlRepo}/commit/${commit.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${fake.repoApi}/git/commits/${commit.sha}`,
      author: gitUser,
      committer: gitUser,
      message: commit.message,
      comment_count: 0,
      tree: { sha: tree, url: `${fake.repoApi}/git/trees/${tree}` },
      verification: unsignedVerification(),
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${fake.repoApi}/commits/${sha}`,
      html_url: `${fake.htmlRepo}/commit/${sha}`,
    })),
  }
}

type CompareStatus = 'identical' | 'ahead' | 'behind' | 'diverged'

function compareStatus(aheadBy: number, behindBy: number): CompareStatus {
  if (aheadBy === 0 && behindBy === 0) return 'identical'
  if (behindBy === 0) return 'ahead'
  if (aheadBy === 0) return 'behind'
  return 'diverged'
}

/** `GET /compare/{base}...{head}`: the commits in head and not in base, oldest first. */
function compare(fake: FakeContext, baseName: string, headName: string): Reply {
  const { state } = fake
  const base = resolveCommitish(state, baseName)
  const head = resolveCommitish(state, headName)
  if (!base || !head) throw notFound()
  const baseAncestors = ancestors(state, base.sha)
  const headAncestors = ancestors(state, head.sha)
  const ahead = [...headAncestors].filter((sha) => !baseAncestors.has(sha))
  const behind = [...baseAncestors].filter((sha) => !headAncestors.has(sha))
  const depth = (commit: FakeCommit): number => ancestors(state, commit.sha).size
  // Oldest first, as GitHub lists them: order by ancestry depth.
  const commits = ahead
    .map((sha) => state.commits.get(sha) as FakeCommit)
    .sort((a, b) => depth(a) - depth(b))
  const mergeBase =
    [...headAncestors]
      .filter((sha) => baseAncestors.has(sha))
      .map((sha) => state.commits.get(sha) as FakeCommit)
      .sort((a, b) => depth(b) - depth(a))[0] ?? base
  const basehead = `${baseName}...${headName}`
  return {
    status: 200,
    json: {
      url: `${fake.repoApi}/compare/${basehead}`,
      html_url: `${fake.htmlRepo}/compare/${basehead}`,
      permalink_url: `${fake.htmlRepo}/compare/${base.sha}...${head.sha}`,
      diff_url: `${fake.htmlRepo}/compare/${basehead}.diff`,
      patch_url: `${fake.htmlRepo}/compare/${basehead}.patch`,
      base_commit: commitJson(fake, base),
      merge_base_commit: commitJson(fake, mergeBase),
      status: compareStatus(ahead.length, behind.length),
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: commits.map((commit) => commitJson(fake, commit)),
      files: [],
    },
  }
}

export function commitRoutes(router: Router, fake: FakeContext): void {
  router.add('GET', '/repos/{owner}/{repo}/commits/{ref}', ({ params }) => {
    const ref = params[2] as string
    const commit = resolveCommitish(fake.state, ref)
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${ref}`)
    return { status: 200, json: commitJson(fake, commit) }
  })
  router.add('GET', '/repos/{owner}/{repo}/compare/{basehead}', ({ params }) =>
    compare(fake, params[2] as string, params[3] as string),
  )
}
