import type { ChangeRecordSummary, VerifyContext } from '../types.ts'

/** What the report shows of the change record; undefined when there is no chained record. */
export function summariseChangeRecord(ctx: VerifyContext): ChangeRecordSummary | undefined {
  const file = ctx.changeRecord
  const record = file?.record
  if (!file || !record?.chain) return undefined
  const personal = record.personalData as { impact?: string; dpia?: { reference?: string } }
  return {
    changeId: record.change?.id,
    title: record.change?.title,
    reason: record.change?.reason,
    personalDataImpact: personal.impact,
    approvals: (record.change?.approvals ?? []).map((a) => ({
      role: a.role,
      decision: a.decision,
      approver: a.approver,
    })),
    dpiaReference: personal.dpia?.reference,
    previousRelease: record.chain.previous
      ? `${record.chain.previous.tag} (manifest sha256:${record.chain.previous.manifestDigest.sha256})`
      : undefined,
    digest: `sha256:${file.sha256}`,
  }
}
