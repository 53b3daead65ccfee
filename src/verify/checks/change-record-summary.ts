import type { ChangeRecordSummary, VerifyContext } from '../types.ts'
import { isObject, listAt, stringAt, valueAt } from './statement-shape.ts'

/** One approval as the report shows it: only its string fields, whatever the file held. */
function approvalOf(approval: unknown): ChangeRecordSummary['approvals'][number] {
  return {
    role: stringAt(approval, 'role'),
    decision: stringAt(approval, 'decision'),
    approver: stringAt(approval, 'approver'),
  }
}

/** `tag (manifest sha256:…)` of the previous release, when the record names one. */
function previousRelease(chain: Record<string, unknown>): string | undefined {
  const previous = chain['previous']
  if (!isObject(previous)) return undefined
  const tag = stringAt(previous, 'tag') ?? '(no tag)'
  const digest = stringAt(previous, 'manifestDigest', 'sha256') ?? '(none)'
  return `${tag} (manifest sha256:${digest})`
}

/**
 * What the report shows of the change record; undefined when there is no chained record. The
 * record is read field by field (it may be unsigned and of any shape), and only strings are
 * shown: the change-record check says whether any of it can be trusted.
 */
export function summariseChangeRecord(ctx: VerifyContext): ChangeRecordSummary | undefined {
  const file = ctx.changeRecord
  const record = file?.record
  const chain = valueAt(record, 'chain')
  if (!file || !isObject(chain)) return undefined
  return {
    changeId: stringAt(record, 'change', 'id'),
    title: stringAt(record, 'change', 'title'),
    reason: stringAt(record, 'change', 'reason'),
    personalDataImpact: stringAt(record, 'personalData', 'impact'),
    approvals: (listAt(record, 'change', 'approvals') ?? []).map(approvalOf),
    dpiaReference: stringAt(record, 'personalData', 'dpia', 'reference'),
    previousRelease: previousRelease(chain),
    digest: `sha256:${file.sha256}`,
  }
}
