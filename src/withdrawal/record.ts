import { assertNoPersonalData } from '../change-record/index.ts'
import type { Approval, DigestSet, Pseudonymizer } from '../change-record/index.ts'
import { canonicalJson } from '../util/canonical-json.ts'
import { hashBytes } from '../util/digest.ts'
import type { InTotoStatement, InTotoSubject } from '../util/types.ts'
import { IN_TOTO_STATEMENT_V1, MANIFEST_FILE } from '../util/release-files.ts'
import { WITHDRAWAL_PREDICATE_TYPE } from './constants.ts'
import { isoSeconds, type WithdrawalRequest } from './input.ts'
import { formatViolations, validateWithdrawalRecord } from './schema.ts'
import type {
  BreachNotification,
  ReplacementRelease,
  WithdrawalRecord,
  WithdrawnRelease,
} from './types.ts'

/** GDPR Art. 33(1): notify "not later than 72 hours after having become aware of it". */
export const NOTIFICATION_WINDOW_HOURS = 72

/** awareAt + 72 hours, in the same notation. */
export function notificationDeadline(awareAt: string): string {
  const time = Date.parse(awareAt)
  if (Number.isNaN(time)) throw new TypeError(`awareAt ${awareAt} is not a date-time`)
  return isoSeconds(time + NOTIFICATION_WINDOW_HOURS * 3600 * 1000)
}

export interface BuildWithdrawalParams {
  request: WithdrawalRequest
  repository: string
  withdrawn: WithdrawnRelease
  replacement?: ReplacementRelease
  run: { url: string; workflowRef: string; commit: string }
  now: Date
  /** Without one, approvers are left out of the record. */
  pseudonymizer?: Pseudonymizer
}

function breachBlock(request: WithdrawalRequest): BreachNotification {
  const given = request.breach ?? {}
  return {
    awareAt: request.awareAt,
    notificationDeadline: notificationDeadline(request.awareAt),
    notifiable: given.notifiable ?? 'pending',
    ...(given.justification ? { justification: given.justification } : {}),
    ...(given.authorityNotifiedAt
      ? { authorityNotifiedAt: isoSeconds(Date.parse(given.authorityNotifiedAt)) }
      : {}),
    ...(given.authorityReference ? { authorityReference: given.authorityReference } : {}),
    dataSubjectsInformed: given.dataSubjectsInformed ?? 'pending',
  }
}

/** Approvers as keyed pseudonyms with the change record's rules, or left out without a key. */
function pseudonymisedApprovals(
  approvals: readonly Approval[],
  pseudonymizer: Pseudonymizer | undefined,
): Approval[] {
  return approvals.map(({ approver, ...approval }) =>
    approver && pseudonymizer
      ? { ...approval, approver: pseudonymizer.approver(approver) }
      : approval,
  )
}

/**
 * The withdrawal record: the request's words, the withdrawn release's digests, the run. A
 * personal-data breach gets the Art. 33 block with its deadline computed, never given. Pure:
 * the caller guards it (guardWithdrawalRecord) before it is signed.
 */
export function buildWithdrawalRecord(params: BuildWithdrawalParams): WithdrawalRecord {
  const { request } = params
  const record: WithdrawalRecord = {
    recordVersion: 1,
    repository: params.repository,
    withdrawn: structuredClone(params.withdrawn),
    reason: request.reason,
    summary: request.summary,
    ...(request.incidentReference ? { incidentReference: request.incidentReference } : {}),
    ...(params.replacement ? { replacement: structuredClone(params.replacement) } : {}),
    run: { ...params.run },
    withdrawnAt: isoSeconds(params.now),
    ...(request.reason === 'personal-data-breach' ? { breach: breachBlock(request) } : {}),
    ...(request.approvals?.length
      ? { approvals: pseudonymisedApprovals(request.approvals, params.pseudonymizer) }
      : {}),
  }
  const violations = validateWithdrawalRecord(record)
  if (violations.length > 0) {
    throw new TypeError(`the withdrawal record breaks its schema: ${formatViolations(violations)}`)
  }
  return record
}

/**
 * The personal-data guard of the change record over every string a person wrote into the
 * record, and the tags, before anything is signed. The repository, run URL and workflow are
 * left out as in the change record: the signing certificate publishes them in any case.
 */
export function guardWithdrawalRecord(record: WithdrawalRecord, request: WithdrawalRequest): void {
  const fields = [
    { path: '/withdrawn/tag', value: record.withdrawn.tag, input: 'tag' },
    ...(record.replacement
      ? [{ path: '/replacement/tag', value: record.replacement.tag, input: 'replacement-tag' }]
      : []),
    { path: '/summary', value: record.summary, input: request.inputOf('summary') },
    ...(record.incidentReference
      ? [
          {
            path: '/incidentReference',
            value: record.incidentReference,
            input: request.inputOf('incidentReference'),
          },
        ]
      : []),
    ...textFields(
      {
        justification: record.breach?.justification,
        authorityReference: record.breach?.authorityReference,
      },
      '/breach',
      request.inputOf('breach'),
    ),
    ...(record.approvals ?? []).flatMap((approval, i) =>
      textFields(
        { role: approval.role, conditions: approval.conditions },
        `/approvals/${i}`,
        request.inputOf('approvals'),
      ),
    ),
  ]
  assertNoPersonalData(fields, { publicNames: record.repository.split('/') })
}

function textFields(
  object: object,
  prefix: string,
  input: string,
): { path: string; value: string; input: string }[] {
  return Object.entries(object)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => ({ path: `${prefix}/${key}`, value, input }))
}

/** withdrawal.json: RFC 8785 canonical bytes, and their SHA-256. */
export function serializeWithdrawalRecord(record: WithdrawalRecord): {
  bytes: Buffer
  sha256: string
} {
  const bytes = canonicalJson(record)
  return { bytes, sha256: hashBytes(bytes) }
}

/**
 * The statement to sign: subjects are the withdrawn release's manifest and every artifact it
 * lists, so whoever holds only an artifact finds the withdrawal by the artifact's digest.
 */
export function buildWithdrawalStatement(
  record: WithdrawalRecord,
  artifacts: readonly { name: string; digest: DigestSet }[],
): InTotoStatement<WithdrawalRecord> {
  const subject: InTotoSubject[] = [
    { name: MANIFEST_FILE, digest: { sha256: record.withdrawn.manifestDigest.sha256 } },
    ...artifacts.map((a) => ({ name: a.name, digest: { sha256: a.digest.sha256 } })),
  ]
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject,
    predicateType: WITHDRAWAL_PREDICATE_TYPE,
    predicate: record,
  }
}
