// One release's verdict: every check of `verify` over its evidence, and what the chain needs
// from it (digests, the verified commit, the record when it can be trusted).
import type { ChangeRecord } from '../change-record/index.ts'
import { VERIFY_CHECKS } from '../verify/index.ts'
import type { CheckResult, VerifyContext } from '../verify/index.ts'
import type { AuditedRelease, ReleaseEvidence } from './types.ts'

function stringAt(value: unknown, ...path: (string | number)[]): string | undefined {
  let at = value
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string | number, unknown>)[key]
  }
  return typeof at === 'string' ? at : undefined
}

function passed(checks: readonly CheckResult[], id: CheckResult['id']): boolean {
  return checks.some((c) => c.id === id && c.ok)
}

/** The commit and signer of a provenance that verified; nothing from one that did not. */
function provenanceFacts(
  ctx: VerifyContext,
  checks: readonly CheckResult[],
): Pick<AuditedRelease, 'commit' | 'signerWorkflow'> {
  const verified = ctx.provenance.verified
  if (!verified || !passed(checks, 'provenance-signature')) return {}
  const commit = stringAt(
    verified.statement,
    'predicate',
    'buildDefinition',
    'resolvedDependencies',
    0,
    'digest',
    'gitCommit',
  )
  const signer = verified.signer.buildSignerURI ?? verified.signer.subjectAlternativeName
  return { ...(commit ? { commit } : {}), ...(signer ? { signerWorkflow: signer } : {}) }
}

/** Runs the checks and keeps only what the report and the chain need. */
export async function examineRelease(evidence: ReleaseEvidence): Promise<AuditedRelease> {
  const base = {
    tag: evidence.tag,
    ...(evidence.date ? { date: evidence.date } : {}),
    prerelease: evidence.prerelease,
  }
  if (evidence.manifestProblem !== undefined) {
    const failed: CheckResult = {
      id: 'assets',
      title: 'Assets match the manifest',
      ok: false,
      details: [evidence.manifestProblem],
    }
    return { ...base, status: 'not-verified', signed: true, checks: [failed] }
  }
  const ctx = evidence.context
  if (!ctx) return { ...base, status: 'unsigned', signed: false, checks: [] }
  const checks: CheckResult[] = []
  for (const check of VERIFY_CHECKS) checks.push(await check.run(ctx))
  const verified = checks.every((c) => c.ok)
  // Only a record whose check passed is signed by the expected workflow over exactly these
  // bytes; an unverified one could say anything about its predecessor.
  const record = passed(checks, 'change-record')
    ? (ctx.changeRecord?.record as ChangeRecord | undefined)
    : undefined
  return {
    ...base,
    status: verified ? 'verified' : 'not-verified',
    signed: true,
    manifestSha256: ctx.manifestSha256,
    ...(evidence.changeRecordSha256 ? { changeRecordSha256: evidence.changeRecordSha256 } : {}),
    checks,
    ...provenanceFacts(ctx, checks),
    ...(record ? { record } : {}),
  }
}
