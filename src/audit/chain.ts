// The audit's decisions, as pure functions over what was read: which releases break the
// signed chain and how, which tags moved, which withdrawals count. No I/O here.
import type { AuditedRelease, Finding, WithdrawalOutcome } from './types.ts'

const short = (hex: string | undefined): string => (hex ? `sha256:${hex.slice(0, 12)}` : '(none)')

/** A release that does not verify, naming each failed check and its first reason. */
export function verificationFindings(releases: readonly AuditedRelease[]): Finding[] {
  return releases
    .filter((r) => r.status === 'not-verified')
    .map((r) => {
      const failed = r.checks.filter((c) => !c.ok)
      const why = failed.map((c) => `${c.title}: ${c.details[0] ?? 'failed'}`).join('; ')
      return {
        kind: 'verification-failed',
        release: r.tag,
        related: [],
        message: `${r.tag} does not verify (${failed.length} check(s) failed): ${why}`,
      }
    })
}

/** An unsigned release between two signed ones: made by another tool or by hand, mid-chain. */
export function unsignedFindings(releases: readonly AuditedRelease[]): Finding[] {
  const signed = releases.map((r) => r.signed)
  const findings: Finding[] = []
  releases.forEach((r, i) => {
    if (r.status !== 'unsigned') return
    const before = releases.slice(0, i).findLast((_, j) => signed[j])
    const after = releases.slice(i + 1).find((_, j) => signed[i + 1 + j])
    if (!before || !after) return
    findings.push({
      kind: 'unsigned-release',
      release: r.tag,
      related: [before.tag, after.tag],
      message: `${r.tag} has no release-manifest.json (made by another tool or by hand) and sits between the signed releases ${before.tag} and ${after.tag}`,
    })
  })
  return findings
}

/** The digests a link names that differ from the named release's own. */
function linkMismatches(
  link: NonNullable<NonNullable<AuditedRelease['record']>['chain']['previous']>,
  named: AuditedRelease,
): string[] {
  const problems: string[] = []
  if (link.manifestDigest.sha256 !== named.manifestSha256) {
    problems.push(
      `manifest digest ${short(link.manifestDigest.sha256)} differs from ${named.tag}'s ${short(named.manifestSha256)}`,
    )
  }
  const recordLink = link.changeRecordDigest?.sha256
  if (recordLink !== undefined && recordLink !== named.changeRecordSha256) {
    problems.push(
      `change-record digest ${short(recordLink)} differs from ${named.tag}'s ${short(named.changeRecordSha256)}`,
    )
  }
  return problems
}

/**
 * Each trusted link against the actual predecessor (the signed release before it): broken
 * links, deleted predecessors, forks (two releases naming one predecessor) and orphans.
 */
export function chainFindings(releases: readonly AuditedRelease[]): Finding[] {
  const byTag = new Map(releases.map((r) => [r.tag, r]))
  const findings: Finding[] = []
  const namedBy = new Map<string, AuditedRelease[]>()
  for (const r of releases) {
    const link = r.record?.chain.previous
    if (link) namedBy.set(link.tag, [...(namedBy.get(link.tag) ?? []), r])
  }
  let previousSigned: AuditedRelease | undefined
  for (const r of releases) {
    if (!r.signed) continue
    const expected = previousSigned
    previousSigned = r
    if (!r.record) continue
    const link = r.record.chain.previous
    if (link === null) {
      if (expected) {
        findings.push({
          kind: 'orphan',
          release: r.tag,
          related: [expected.tag],
          message: `${r.tag} names no predecessor (a new chain), but ${expected.tag} was released before it`,
        })
      }
      continue
    }
    const named = byTag.get(link.tag)
    if (!named) {
      findings.push({
        kind: 'missing-predecessor',
        release: r.tag,
        related: [link.tag],
        message: `${r.tag} names ${link.tag} as its predecessor, which no longer exists (deleted)`,
      })
      continue
    }
    const mismatches = linkMismatches(link, named)
    if (mismatches.length > 0) {
      findings.push({
        kind: 'broken-link',
        release: r.tag,
        related: [link.tag],
        message: `${r.tag}'s link to ${link.tag} is broken: ${mismatches.join('; ')}`,
      })
    }
    const siblings = namedBy.get(link.tag) ?? []
    const first = siblings[0]
    if (first && first !== r) {
      findings.push({
        kind: 'fork',
        release: r.tag,
        related: [first.tag, link.tag],
        message: `${r.tag} and ${first.tag} both name ${link.tag} as their predecessor: the chain forks (concurrent releases)`,
      })
    } else if (expected && named !== expected) {
      findings.push({
        kind: 'orphan',
        release: r.tag,
        related: [link.tag, expected.tag],
        message: `${r.tag} names ${link.tag} as its predecessor, but the signed release before it is ${expected.tag}`,
      })
    }
  }
  return findings
}

/** Tags that no longer point at the commit the verified provenance names. */
export function tagFindings(
  releases: readonly AuditedRelease[],
  tagCommits: ReadonlyMap<string, string>,
): Finding[] {
  const findings: Finding[] = []
  for (const r of releases) {
    if (!r.commit) continue
    const actual = tagCommits.get(r.tag)
    if (actual === r.commit) continue
    findings.push({
      kind: 'tag-moved',
      release: r.tag,
      related: [],
      message:
        actual === undefined
          ? `tag ${r.tag} no longer exists; the provenance names commit ${r.commit}`
          : `tag ${r.tag} points at commit ${actual}, but the provenance names ${r.commit} (the tag was moved)`,
    })
  }
  return findings
}

export interface CheckedWithdrawal {
  /** The `withdrawn/<tag>` release (or folder) carrying it. */
  releaseTag: string
  withdrawnTag: string
  outcome: WithdrawalOutcome
}

/**
 * Marks each release a verified withdrawal names as withdrawn; a withdrawal that does not
 * verify, or names no release here, is a finding. Returns the releases (new objects) and findings.
 */
export function applyWithdrawals(
  releases: readonly AuditedRelease[],
  withdrawals: readonly CheckedWithdrawal[],
): { releases: AuditedRelease[]; findings: Finding[] } {
  const findings: Finding[] = []
  const records = new Map<string, NonNullable<AuditedRelease['withdrawal']>>()
  for (const w of withdrawals) {
    const { outcome } = w
    if (outcome.status === 'verified') {
      records.set(w.withdrawnTag, outcome.record)
      continue
    }
    findings.push({
      kind: outcome.status === 'invalid' ? 'withdrawal-invalid' : 'withdrawal-unverified',
      release: w.withdrawnTag,
      related: [w.releaseTag],
      message:
        outcome.status === 'invalid'
          ? `the withdrawal ${w.releaseTag} does not verify: ${outcome.problem}`
          : `withdrawal present, not verified (${w.releaseTag}): ${outcome.problem}`,
    })
  }
  return {
    releases: releases.map((r) => {
      const withdrawal = records.get(r.tag)
      if (!withdrawal) return r
      // A withdrawal of a release that does not verify leaves it not verified: both are shown.
      return { ...r, status: r.status === 'verified' ? 'withdrawn' : r.status, withdrawal }
    }),
    findings,
  }
}
