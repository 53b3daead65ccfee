/**
 * The withdrawal record (`withdrawal.json`, schemas/withdrawal.v1.json): a signed, append-only
 * statement that a published release must no longer be used, and why. The schema is the
 * authority; these types describe documents that already passed it.
 */
import type { Approval, DigestSet } from '../change-record/index.ts'

export type WithdrawalReason =
  'personal-data-breach' | 'security-vulnerability' | 'defect' | 'legal' | 'other'

export const WITHDRAWAL_REASONS: readonly WithdrawalReason[] = [
  'personal-data-breach',
  'security-vulnerability',
  'defect',
  'legal',
  'other',
]

/** GDPR Art. 33 (notify the supervisory authority) and Art. 34 (inform the data subjects). */
export interface BreachNotification {
  /** When the controller became aware of the breach (the `detected-at` input). */
  awareAt: string
  /** awareAt + 72 hours, computed, never given. */
  notificationDeadline: string
  notifiable: 'required' | 'not-required' | 'pending'
  /** Required when `notifiable` is `not-required` (Art. 33(1): unlikely to result in a risk). */
  justification?: string
  authorityNotifiedAt?: string
  authorityReference?: string
  dataSubjectsInformed: 'required' | 'not-required' | 'pending'
}

export interface WithdrawnRelease {
  tag: string
  /** Digest of the withdrawn release's release-manifest.json. */
  manifestDigest: DigestSet
  /** Digest of its change-record.json; absent when the release carries none. */
  changeRecordDigest?: DigestSet
}

export interface ReplacementRelease {
  tag: string
  manifestDigest: DigestSet
}

/** The record written as withdrawal.json. */
export interface WithdrawalRecord {
  recordVersion: 1
  repository: string
  withdrawn: WithdrawnRelease
  reason: WithdrawalReason
  summary: string
  incidentReference?: string
  replacement?: ReplacementRelease
  run: { url: string; workflowRef: string; commit: string }
  withdrawnAt: string
  /** Present exactly when `reason` is `personal-data-breach`. */
  breach?: BreachNotification
  /** As in the change record: approvers appear only as keyed pseudonyms, or not at all. */
  approvals?: Approval[]
}
