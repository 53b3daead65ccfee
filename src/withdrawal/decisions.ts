/**
 * The decisions of a withdrawal as pure functions of what GitHub reported: whether this run
 * may withdraw, resume or must stop; which release becomes latest; how the withdrawn release
 * is marked.
 */
import type { ListedRelease, RunIdentity } from '../release/index.ts'
import { MANIFEST_FILE, PROVENANCE_BUNDLE_FILE } from '../util/release-files.ts'
import { plainText } from '../util/log-text.ts'
import { WITHDRAWAL_TAG_PREFIX, withdrawalTagFor } from './constants.ts'
import type { WithdrawalRecord } from './types.ts'

export const WITHDRAWN_TITLE_PREFIX = '[WITHDRAWN] '
/** Marks the banner so a re-run recognises it and never adds a second one. */
export const BANNER_MARKER = '<!-- immutable-release: withdrawal banner -->'

interface SemVer {
  core: [number, number, number]
  prerelease: string[]
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/

/** A tag as a semantic version (`v1.2.3`, `1.2.3-rc.1`), or undefined when it is none. */
export function parseSemver(tag: string): SemVer | undefined {
  const m = SEMVER.exec(tag)
  if (!m) return undefined
  return {
    core: [Number(m[1]), Number(m[2]), Number(m[3])],
    prerelease: m[4] ? m[4].split('.') : [],
  }
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a)
  const bn = /^\d+$/.test(b)
  if (an && bn) return Number(a) - Number(b)
  if (an !== bn) return an ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** SemVer 2.0.0 precedence (build metadata ignored); negative when a < b. */
export function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.core[i] as number) - (b.core[i] as number)
    if (d !== 0) return d
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i]
    const y = b.prerelease[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const d = compareIdentifiers(x, y)
    if (d !== 0) return d
  }
  return 0
}

/** Whether a release carries this action's manifest and provenance (it was made by it). */
export function madeByThisAction(release: Pick<ListedRelease, 'assets'>): boolean {
  const names = new Set(release.assets.map((a) => a.name))
  return names.has(MANIFEST_FILE) && names.has(PROVENANCE_BUNDLE_FILE)
}

/** The tags that have a withdrawal release (published or not: a draft is a withdrawal under way). */
export function withdrawnTags(releases: readonly ListedRelease[]): Set<string> {
  const tags = new Set<string>()
  for (const r of releases) {
    if (r.tagName.startsWith(WITHDRAWAL_TAG_PREFIX)) {
      tags.add(r.tagName.slice(WITHDRAWAL_TAG_PREFIX.length))
    }
  }
  return tags
}

/**
 * Why `release` (found for `tag`, named by `input`) cannot be withdrawn or serve as the
 * replacement, or undefined when it can.
 */
export function releaseProblem(
  release: ListedRelease | undefined,
  tag: string,
  input: 'tag' | 'replacement-tag',
  withdrawn: ReadonlySet<string>,
): string | undefined {
  if (!release) return `no release uses tag ${tag} in this repository.`
  if (release.draft) {
    return `the release of ${tag} is a draft (${release.htmlUrl}); only a published release can be ${input === 'tag' ? 'withdrawn' : 'a replacement'}. Delete the draft instead.`
  }
  if (!madeByThisAction(release)) {
    return `the release of ${tag} was not made by immutable-release: it has no ${MANIFEST_FILE} and ${PROVENANCE_BUNDLE_FILE}.`
  }
  if (input === 'replacement-tag' && withdrawn.has(tag)) {
    return `the release of ${tag} is itself withdrawn (${withdrawalTagFor(tag)}); name a release that is not.`
  }
  return undefined
}

export type StartDecision =
  | { action: 'withdraw' }
  /** An earlier attempt of this run published the withdrawal: finish marking and latest. */
  | { action: 'resume'; withdrawal: ListedRelease }
  | { action: 'refuse'; reason: string }

/**
 * A published withdrawal of `tag` made by another run means the tag is already withdrawn; one
 * made by this run (any attempt) is finished by this attempt. A draft is left to the release
 * flow, which resumes an earlier attempt's draft and refuses anyone else's.
 */
export function decideWithdrawalStart(
  tag: string,
  withdrawalReleases: readonly ListedRelease[],
  run: RunIdentity,
  parseMarker: (body: string | null) => RunIdentity | undefined,
): StartDecision {
  const published = withdrawalReleases.find((r) => !r.draft && r.tagName === withdrawalTagFor(tag))
  if (!published) return { action: 'withdraw' }
  if (parseMarker(published.body)?.id === run.id) return { action: 'resume', withdrawal: published }
  return {
    action: 'refuse',
    reason: `${tag} is already withdrawn: ${published.htmlUrl}. A withdrawal is permanent; there is nothing to do again.`,
  }
}

export type LatestDecision =
  /** Nothing to change: the withdrawn release was not the latest (or restore-latest is off). */
  | { action: 'keep'; latest: string | undefined }
  /** Mark `tag` latest (which unmarks the withdrawn release). */
  | { action: 'set'; tag: string }
  /** No good release is left: unmark the withdrawn release. */
  | { action: 'unset' }

/**
 * "Latest" after the withdrawal of `withdrawnTag`: unchanged unless it was the withdrawn
 * release; then the replacement, or else the newest (by semantic version, not date) published,
 * non-prerelease, non-withdrawn release made by this action.
 */
export function decideLatest(input: {
  withdrawnTag: string
  latestTag: string | undefined
  replacementTag: string | undefined
  releases: readonly ListedRelease[]
}): LatestDecision {
  if (input.latestTag !== input.withdrawnTag) return { action: 'keep', latest: input.latestTag }
  if (input.replacementTag) return { action: 'set', tag: input.replacementTag }
  const withdrawn = withdrawnTags(input.releases)
  const candidates = input.releases
    .filter(
      (r) =>
        !r.draft &&
        !r.prerelease &&
        r.tagName !== input.withdrawnTag &&
        !r.tagName.startsWith(WITHDRAWAL_TAG_PREFIX) &&
        !withdrawn.has(r.tagName) &&
        !(r.name ?? '').startsWith(WITHDRAWN_TITLE_PREFIX) &&
        madeByThisAction(r),
    )
    .map((r) => ({ tag: r.tagName, version: parseSemver(r.tagName) }))
    .filter((c): c is { tag: string; version: SemVer } => c.version !== undefined)
    .sort((a, b) => compareSemver(b.version, a.version))
  const best = candidates[0]
  return best ? { action: 'set', tag: best.tag } : { action: 'unset' }
}

/** The withdrawn release's title: prefixed once. */
export function withdrawnTitle(name: string | null, tag: string): string {
  const title = name || tag
  return title.startsWith(WITHDRAWN_TITLE_PREFIX) ? title : `${WITHDRAWN_TITLE_PREFIX}${title}`
}

/** Markdown text from a record: one line, and no characters that start Markdown or HTML. */
export function markdownText(text: string): string {
  return plainText(text).replace(/[\\`*_{}[\]<>#|!~&]/g, (c) => `\\${c}`)
}

const REASON_TEXT: Record<WithdrawalRecord['reason'], string> = {
  'personal-data-breach': 'personal data breach',
  'security-vulnerability': 'security vulnerability',
  defect: 'defect',
  legal: 'legal reasons',
  other: 'other',
}

/** The banner put at the top of the withdrawn release's notes. */
export function withdrawalBanner(
  record: WithdrawalRecord,
  links: { withdrawalUrl: string; withdrawalDigest: string; replacementUrl?: string },
): string {
  const lines = [
    BANNER_MARKER,
    `> [!CAUTION]`,
    `> **This release was withdrawn on ${record.withdrawnAt.slice(0, 10)}** (${REASON_TEXT[record.reason]}). Do not use it.`,
    `>`,
    `> ${markdownText(record.summary)}`,
  ]
  if (record.replacement) {
    const replacement = links.replacementUrl
      ? `[${markdownText(record.replacement.tag)}](${links.replacementUrl})`
      : markdownText(record.replacement.tag)
    lines.push('>', `> Use ${replacement} instead.`)
  }
  lines.push(
    '>',
    `> Signed withdrawal: [${markdownText(withdrawalTagFor(record.withdrawn.tag))}](${links.withdrawalUrl}), \`withdrawal.json\` ${links.withdrawalDigest}`,
  )
  return lines.join('\n')
}

/** The notes with the banner on top; a body that already has one is left as it is. */
export function markedNotes(body: string | null, banner: string): string {
  const notes = body ?? ''
  if (notes.includes(BANNER_MARKER)) return notes
  return notes ? `${banner}\n\n${notes}` : banner
}

/** Whether the withdrawn release already shows the withdrawal (title and banner). */
export function isMarked(release: Pick<ListedRelease, 'name' | 'body'>): boolean {
  return (
    (release.name ?? '').startsWith(WITHDRAWN_TITLE_PREFIX) &&
    (release.body ?? '').includes(BANNER_MARKER)
  )
}
