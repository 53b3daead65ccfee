import type { FakeContext } from './context.ts'
import { nowIso } from './http.ts'
import { user } from './representations.ts'
import type { Router } from './router.ts'

/** `<field>: <suffix of the repository's API URL>`, in the order GitHub lists them. */
const LINK_TEMPLATES: [string, string][] = [
  ['archive_url', '{archive_format}{/ref}'],
  ['assignees_url', 'assignees{/user}'],
  ['blobs_url', 'git/blobs{/sha}'],
  ['branches_url', 'branches{/branch}'],
  ['collaborators_url', 'collaborators{/collaborator}'],
  ['comments_url', 'comments{/number}'],
  ['commits_url', 'commits{/sha}'],
  ['compare_url', 'compare/{base}...{head}'],
  ['contents_url', 'contents/{+path}'],
  ['contributors_url', 'contributors'],
  ['deployments_url', 'deployments'],
  ['downloads_url', 'downloads'],
  ['events_url', 'events'],
  ['forks_url', 'forks'],
  ['git_commits_url', 'git/commits{/sha}'],
  ['git_refs_url', 'git/refs{/sha}'],
  ['git_tags_url', 'git/tags{/sha}'],
  // git_url (not under the API URL) comes here in GitHub's order.
  ['hooks_url', 'hooks'],
  ['issue_comment_url', 'issues/comments{/number}'],
  ['issue_events_url', 'issues/events{/number}'],
  ['issues_url', 'issues{/number}'],
  ['keys_url', 'keys{/key_id}'],
  ['labels_url', 'labels{/name}'],
  ['languages_url', 'languages'],
  ['merges_url', 'merges'],
  ['milestones_url', 'milestones{/number}'],
  ['notifications_url', 'notifications{?since,all,participating}'],
  ['pulls_url', 'pulls{/number}'],
  ['releases_url', 'releases{/id}'],
  ['stargazers_url', 'stargazers'],
  ['statuses_url', 'statuses/{sha}'],
  ['subscribers_url', 'subscribers'],
  ['subscription_url', 'subscription'],
  ['tags_url', 'tags'],
  ['teams_url', 'teams'],
  ['trees_url', 'git/trees{/sha}'],
]

const GIT_URL_POSITION = LINK_TEMPLATES.findIndex(([field]) => field === 'hooks_url')

function links(url: string, templates: [string, string][]): Record<string, string> {
  return Object.fromEntries(templates.map(([field, suffix]) => [field, `${url}/${suffix}`]))
}

function repositoryJson(fake: FakeContext): Record<string, unknown> {
  const r = fake.state.repository
  const url = fake.repoApi
  const now = nowIso()
  return {
    id: r.id,
    node_id: 'R_kgDOfake',
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: user(fake, r.owner, r.ownerType),
    private: r.visibility !== 'public',
    visibility: r.visibility,
    html_url: fake.htmlRepo,
    description: null,
    fork: false,
    url,
    ...links(url, LINK_TEMPLATES.slice(0, GIT_URL_POSITION)),
    git_url: `git://127.0.0.1/${r.owner}/${r.name}.git`,
    ...links(url, LINK_TEMPLATES.slice(GIT_URL_POSITION)),
    clone_url: `${fake.htmlRepo}.git`,
    ssh_url: `git@127.0.0.1:${r.owner}/${r.name}.git`,
    svn_url: fake.htmlRepo,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    default_branch: r.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: now,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: now,
    network_count: 0,
    subscribers_count: 0,
  }
}

export function repositoryRoutes(router: Router, fake: FakeContext): void {
  router.add('GET', '/repos/{owner}/{repo}', () => ({ status: 200, json: repositoryJson(fake) }))
}
