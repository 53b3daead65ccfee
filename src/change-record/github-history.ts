import {
  apiBaseUrl,
  compareCommits,
  downloadAndHashAsset,
  iteratePages,
  serviceErrorFor,
} from '../github/index.ts'
import type { GitHubClient } from '../github/index.ts'
import { ServiceError } from '../util/errors.ts'
import {
  CHANGE_RECORD_FILE,
  MANIFEST_FILE,
  WITHDRAWAL_FILE,
  withdrawnTagOf,
} from '../util/release-files.ts'
import type { CommitAuthor } from './personal-data-guard.ts'

export interface RepositoryRef {
  owner: string
  repo: string
}

/** The release the chain links back to. */
export interface PreviousRelease {
  tag: string
  releaseId: number
  publishedAt: string
  /** SHA-256 of its release-manifest.json, computed from the downloaded bytes. */
  manifestDigest: string
  /** SHA-256 of its change-record.json, when it has one. */
  changeRecordDigest?: string
  /**
   * Withdrawals published since that release (newest first), each the tag it withdraws and the
   * SHA-256 of its withdrawal.json: the next change record names them, so the signed chain
   * shows every withdrawal. Absent when there were none.
   */
  withdrawals?: WithdrawalLink[]
}

export interface WithdrawalLink {
  /** The withdrawn release's tag. */
  tag: string
  /** SHA-256 of the withdrawal release's withdrawal.json. */
  withdrawalDigest: string
}

export interface CommitRange {
  /** The base commit (the previous release's commit). */
  from: string
  to: string
  /** Commits reachable from `to` but not from `from`. */
  count: number
  /** Authors and co-authors (Co-authored-by trailers) of those commits, without duplicates. */
  authors: CommitAuthor[]
  /** False when the range was too long to read every commit; the authors list is partial. */
  authorsComplete: boolean
  /** ahead, identical, behind or diverged: anything but ahead/identical deserves a look. */
  status: string
}

type Asset = { id: number; name: string; size: number; digest?: string | null }

/** The fields of a listed release the chain looks at. */
type ListedRelease = {
  id: number
  tag_name: string
  draft: boolean
  published_at: string | null
  assets: Asset[]
}

/** Releases examined before giving up on finding a predecessor with a manifest. */
const MAX_RELEASE_PAGES = 10
/** Commits read for authors (GitHub's compare API serves at most 10,000 per range anyway). */
const MAX_COMPARE_PAGES = 100

/**
 * The latest published (non-draft) release other than `tag` that carries a release-manifest.json
 * asset, as GitHub lists them (newest first). The chain link is the SHA-256 of its manifest (and
 * change record, if any): GitHub's own `digest` of the stored bytes where it reports one, which
 * is what a download would be hashed from anyway; otherwise (older GHES) the bytes are
 * downloaded and hashed.
 */
export async function findPreviousRelease(
  client: GitHubClient,
  params: RepositoryRef & { tag: string },
): Promise<PreviousRelease | undefined> {
  const { owner, repo, tag } = params
  const route = 'GET /repos/{owner}/{repo}/releases'
  // Listed newest first: every withdrawal before the predecessor was published after it.
  const withdrawals: WithdrawalLink[] = []
  try {
    const pages = iteratePages<ListedRelease>(
      client,
      route,
      { owner, repo },
      route,
      MAX_RELEASE_PAGES,
    )
    for await (const releases of pages) {
      for (const release of releases) {
        if (release.draft || !release.published_at || release.tag_name === tag) continue
        const withdrawal = await withdrawalLink(client, params, release)
        if (withdrawal) {
          withdrawals.push(withdrawal)
          continue
        }
        const manifest = release.assets.find((a) => a.name === MANIFEST_FILE)
        if (!manifest) continue
        const record = release.assets.find((a) => a.name === CHANGE_RECORD_FILE)
        const manifestDigest = await assetSha256(client, params, manifest)
        const changeRecordDigest = record ? await assetSha256(client, params, record) : undefined
        return {
          tag: release.tag_name,
          releaseId: release.id,
          publishedAt: release.published_at,
          manifestDigest,
          ...(changeRecordDigest ? { changeRecordDigest } : {}),
          ...(withdrawals.length > 0 ? { withdrawals } : {}),
        }
      }
    }
  } catch (error) {
    throw historyError('reading releases', error, client, `/repos/${owner}/${repo}/releases`)
  }
  return undefined
}

/**
 * `GET /repos/{owner}/{repo}/compare/{base}...{head}`, read page by page so every commit's
 * authors are known to the personal-data guard.
 */
export async function commitRange(
  client: GitHubClient,
  params: RepositoryRef & { base: string; head: string },
): Promise<CommitRange> {
  const { owner, repo, base, head } = params
  const seenCommits = new Set<string>()
  const authors = new Map<string, CommitAuthor>()
  let total = 0
  let from = ''
  let last = ''
  let status = ''
  try {
    for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
      const compared = await compareCommits(client, { owner, repo, base, head, page })
      total = compared.totalCommits
      from = compared.baseSha
      status = compared.status
      let fresh = 0
      for (const commit of compared.commits) {
        if (seenCommits.has(commit.sha)) continue
        seenCommits.add(commit.sha)
        fresh++
        last = commit.sha
        addAuthor(authors, commit.author)
        for (const coAuthor of coAuthors(commit.message)) addAuthor(authors, coAuthor)
      }
      if (fresh === 0 || seenCommits.size >= total) break
    }
  } catch (error) {
    const path = `/repos/${owner}/${repo}/compare/${base}...${head}`
    throw historyError('comparing commits', error, client, path)
  }
  const to = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head) ? head : last || from
  return {
    from,
    to,
    count: total,
    authors: [...authors.values()],
    authorsComplete: seenCommits.size >= total,
    status,
  }
}

function addAuthor(
  authors: Map<string, CommitAuthor>,
  person: { name?: string | null; email?: string | null } | undefined,
): void {
  if (!person) return
  const name = person.name?.trim() || undefined
  const email = person.email?.trim() || undefined
  if (!name && !email) return
  const key = `${name?.toLowerCase() ?? ''}\u0000${email?.toLowerCase() ?? ''}`
  if (!authors.has(key))
    authors.set(key, { ...(name ? { name } : {}), ...(email ? { email } : {}) })
}

/** `Co-authored-by: Name <email>` trailers, as GitHub credits them. */
export function coAuthors(message: string): CommitAuthor[] {
  const found: CommitAuthor[] = []
  for (const match of message.matchAll(/^co-authored-by:[ \t]*(.*?)[ \t]*<([^>\s]+)>[ \t]*$/gim)) {
    found.push({ ...(match[1] ? { name: match[1] } : {}), email: match[2] as string })
  }
  return found
}

async function assetSha256(
  client: GitHubClient,
  { owner, repo }: RepositoryRef,
  asset: Asset,
): Promise<string> {
  const reported = /^sha256:([0-9a-f]{64})$/.exec(asset.digest ?? '')?.[1]
  if (reported) return reported
  // Streamed: a manifest grows with the number of artifacts, memory must not.
  const { sha256, size } = await downloadAndHashAsset(client, { owner, repo, assetId: asset.id })
  const url = `/repos/${owner}/${repo}/releases/assets/${asset.id}`
  if (size !== asset.size) {
    throw new ServiceError('GitHub', url, `${asset.name} downloaded ${size} of ${asset.size} bytes`)
  }
  if (asset.digest && asset.digest !== `sha256:${sha256}`) {
    throw new ServiceError(
      'GitHub',
      url,
      `${asset.name} hashes to sha256:${sha256}, but GitHub lists ${asset.digest}`,
    )
  }
  return sha256
}

/** A published `withdrawn/<tag>` release carrying withdrawal.json, as a chain entry. */
async function withdrawalLink(
  client: GitHubClient,
  params: RepositoryRef,
  release: ListedRelease,
): Promise<WithdrawalLink | undefined> {
  const tag = withdrawnTagOf(release.tag_name)
  const record = release.assets.find((a) => a.name === WITHDRAWAL_FILE)
  if (tag === undefined || !record) return undefined
  return { tag, withdrawalDigest: await assetSha256(client, params, record) }
}

function historyError(what: string, error: unknown, client: GitHubClient, path: string): Error {
  return serviceErrorFor(what, error, `${apiBaseUrl(client)}${path}`)
}
