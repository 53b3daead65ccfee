// `audit`: every release of a repository, each checked as `verify` checks one, then the chain
// between them, the tags and the withdrawals. Reading is here; deciding is in chain.ts.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listReleasesWithAssets, listTagCommits } from '../github/index.ts'
import type { GitHubClient, ListedRelease } from '../github/index.ts'
import { mapLimit } from '../util/concurrency.ts'
import { downloadReleaseAssets } from '../verify/index.ts'
import { InputError } from '../util/errors.ts'
import {
  WITHDRAWAL_BUNDLE_FILE,
  WITHDRAWAL_FILE,
  checkWithdrawal,
  withdrawnTagOf,
} from '../withdrawal/index.ts'
import {
  applyWithdrawals,
  chainFindings,
  tagFindings,
  unsignedFindings,
  verificationFindings,
} from './chain.ts'
import type { CheckedWithdrawal } from './chain.ts'
import { examineRelease } from './examine.ts'
import {
  compareTags,
  listAuditFolder,
  releaseEvidenceFromFolder,
  withdrawalEvidenceFromFolder,
} from './folder-evidence.ts'
import { releaseEvidenceFromGitHub, withdrawalFilesFromGitHub } from './github-evidence.ts'
import type { EvidenceOptions, GitHubSource } from './github-evidence.ts'
import type {
  AuditReport,
  AuditedRelease,
  ReleaseEvidence,
  WithdrawalEvidence,
  WithdrawalOutcome,
} from './types.ts'

export interface AuditOptions extends EvidenceOptions {
  /** How the trusted root was chosen, and its digest, for the report. */
  trustedRootSource: { source: string; sha256: string }
  /** Report from this release on (older ones are read only as predecessors). */
  since?: string
  /** Releases checked / total, while the audit runs. */
  onProgress?: (done: number, total: number) => void
  /** Download every asset and hash it, instead of trusting GitHub's listed digests. */
  download?: boolean
  /** Releases read at once (default 8). */
  concurrency?: number
  now?: () => Date
}

const REPO_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/

/** The index from which `--since` reports, or a usage error naming the tag. */
function sinceIndex(tags: readonly string[], since: string | undefined): number {
  if (since === undefined) return 0
  const index = tags.indexOf(since)
  if (index < 0) {
    throw new InputError(
      '--since',
      `no release is tagged '${since}'; give one of the audited tags.`,
    )
  }
  return index
}

/** A release older than `--since`: its digests, known from the listing, for the link after it. */
function predecessorStub(release: ListedRelease): AuditedRelease {
  const sha = (name: string) =>
    /^sha256:([0-9a-f]{64})$/.exec(release.assets.find((a) => a.name === name)?.digest ?? '')?.[1]
  const manifestSha256 = sha('release-manifest.json')
  const changeRecordSha256 = sha('change-record.json')
  return {
    tag: release.tag,
    prerelease: release.prerelease,
    status: manifestSha256 ? 'verified' : 'unsigned',
    signed: manifestSha256 !== undefined,
    checks: [],
    ...(manifestSha256 ? { manifestSha256 } : {}),
    ...(changeRecordSha256 ? { changeRecordSha256 } : {}),
  }
}

function checkOne(
  w: WithdrawalEvidence,
  releases: readonly AuditedRelease[],
  options: AuditOptions,
): CheckedWithdrawal {
  const base = { releaseTag: w.releaseTag, withdrawnTag: w.withdrawnTag }
  const target = releases.find((r) => r.tag === w.withdrawnTag)
  const invalid = (problem: string): CheckedWithdrawal => ({
    ...base,
    outcome: { status: 'invalid', problem },
  })
  if (!target?.manifestSha256) {
    return invalid(`it names ${w.withdrawnTag}, which is no signed release of ${options.repo}`)
  }
  if (w.problem !== undefined || !w.recordBytes || !w.bundleBytes) {
    return invalid(w.problem ?? 'its files are missing')
  }
  const checked = checkWithdrawal({
    recordBytes: w.recordBytes,
    bundleBytes: w.bundleBytes,
    repository: options.repo,
    tag: w.withdrawnTag,
    manifestDigest: target.manifestSha256,
    trustedRoot: options.trustedRoot,
    serverUrl: options.serverUrl,
  })
  const outcome: WithdrawalOutcome =
    checked.status === 'verified'
      ? { status: 'verified', record: checked.record }
      : { status: 'invalid', problem: checked.problem }
  return { ...base, outcome }
}

/** Findings, statuses and the summary over releases read oldest first. */
function conclude(
  all: AuditedRelease[],
  from: number,
  withdrawals: readonly WithdrawalEvidence[],
  tagCommits: ReadonlyMap<string, string> | undefined,
  options: AuditOptions,
  source: AuditReport['source'],
): AuditReport {
  const checked = withdrawals.map((w) => checkOne(w, all, options))
  const withdrawn = applyWithdrawals(all, checked)
  const reported = new Set(withdrawn.releases.slice(from).map((r) => r.tag))
  const shown = withdrawn.releases.slice(from)
  const findings = [
    ...verificationFindings(shown),
    ...unsignedFindings(withdrawn.releases),
    ...chainFindings(withdrawn.releases),
    ...(tagCommits ? tagFindings(shown, tagCommits) : []),
    ...withdrawn.findings,
  ].filter((f) => reported.has(f.release) || f.kind.startsWith('withdrawal'))
  const count = (status: AuditedRelease['status']) =>
    shown.filter((r) => r.status === status).length
  return {
    repository: options.repo,
    auditedAt: (options.now?.() ?? new Date()).toISOString(),
    source,
    trustedRoot: options.trustedRootSource,
    releases: shown,
    findings,
    notes: tagCommits
      ? []
      : [
          'Tags were not checked: a folder holds no tag refs (audit through the API to check them).',
        ],
    summary: {
      releases: shown.length,
      verified: count('verified'),
      withdrawn: count('withdrawn'),
      unsigned: count('unsigned'),
      notVerified: count('not-verified'),
      findings: findings.length,
    },
  }
}

/**
 * A folder has no publication dates: releases go in version order, then the dated ones (signed
 * records' `createdAt`) are put in date order within the places they hold, so an unsigned
 * release stays between the versions around it.
 */
function folderOrder(releases: AuditedRelease[]): AuditedRelease[] {
  const byTag = [...releases].sort((a, b) => compareTags(a.tag, b.tag))
  const dated = byTag
    .filter((r) => r.date !== undefined)
    .sort((a, b) => (a.date as string).localeCompare(b.date as string) || compareTags(a.tag, b.tag))
  let next = 0
  return byTag.map((r) => (r.date === undefined ? r : (dated[next++] as AuditedRelease)))
}

function checkRepo(repo: string): void {
  if (!REPO_PATTERN.test(repo))
    throw new InputError('--repo', `expected OWNER/REPO, got '${repo}'.`)
}

/** `--download`: every asset into a temporary folder, read as `verify <dir>` reads it. */
async function downloadedEvidence(
  source: GitHubSource,
  release: ListedRelease,
  options: AuditOptions,
): Promise<ReleaseEvidence> {
  const dir = await mkdtemp(join(tmpdir(), 'immutable-release-audit-'))
  try {
    const { client, owner, repo } = source
    await downloadReleaseAssets(client, { owner, repo, tag: release.tag }, dir)
    const evidence = await releaseEvidenceFromFolder(dir, release.tag, options)
    return {
      ...evidence,
      date: release.publishedAt ?? release.createdAt,
      prerelease: release.prerelease,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Audits every published release of the repository through the API. */
export async function auditGitHub(
  client: GitHubClient,
  options: AuditOptions,
): Promise<AuditReport> {
  checkRepo(options.repo)
  const [owner, repo] = options.repo.split('/') as [string, string]
  const source: GitHubSource = { client, owner, repo }
  const [listed, tagCommits] = await Promise.all([
    listReleasesWithAssets(client, { owner, repo }),
    listTagCommits(client, { owner, repo }),
  ])
  // GitHub lists newest first; the action links each release to the newest one before it.
  const published = listed.filter((r) => !r.draft).reverse()
  const releases = published.filter((r) => withdrawnTagOf(r.tag) === undefined)
  const withdrawalReleases = published.filter((r) => withdrawnTagOf(r.tag) !== undefined)
  const from = sinceIndex(
    releases.map((r) => r.tag),
    options.since,
  )
  let done = 0
  const total = releases.length - from + withdrawalReleases.length
  const progress = () => options.onProgress?.(++done, total)
  const examined = await mapLimit(releases.slice(from), options.concurrency ?? 8, async (r) => {
    const evidence = options.download
      ? await downloadedEvidence(source, r, options)
      : await releaseEvidenceFromGitHub(source, r, options)
    const audited = await examineRelease(evidence)
    progress()
    return audited
  })
  const withdrawals = await mapLimit(withdrawalReleases, options.concurrency ?? 8, async (r) => {
    const files = await withdrawalFilesFromGitHub(source, r, {
      record: WITHDRAWAL_FILE,
      bundle: WITHDRAWAL_BUNDLE_FILE,
    })
    progress()
    return { releaseTag: r.tag, withdrawnTag: withdrawnTagOf(r.tag) as string, ...files }
  })
  const all = [...releases.slice(0, from).map(predecessorStub), ...examined]
  return conclude(all, from, withdrawals, tagCommits, options, 'github')
}

/** Audits a folder of downloaded releases (one sub-folder per tag), offline. */
export async function auditFolder(dir: string, options: AuditOptions): Promise<AuditReport> {
  checkRepo(options.repo)
  let listing: Awaited<ReturnType<typeof listAuditFolder>>
  try {
    listing = await listAuditFolder(dir)
  } catch {
    throw new InputError('dir', `'${dir}' is not a folder of release folders.`)
  }
  let done = 0
  const total = listing.releases.length + listing.withdrawals.length
  const read = await mapLimit(listing.releases, options.concurrency ?? 4, async (tag) => {
    const audited = await examineRelease(
      await releaseEvidenceFromFolder(join(dir, tag), tag, options),
    )
    options.onProgress?.(++done, total)
    return audited
  })
  // Signed releases in the order their records were made; others by version among them.
  const ordered = folderOrder(read)
  const from = sinceIndex(
    ordered.map((r) => r.tag),
    options.since,
  )
  const withdrawals = await mapLimit(listing.withdrawals, 4, async (tag) => {
    const evidence = await withdrawalEvidenceFromFolder(join(dir, 'withdrawn', tag), tag)
    options.onProgress?.(++done, total)
    return evidence
  })
  return conclude(ordered, from, withdrawals, undefined, options, 'folder')
}
