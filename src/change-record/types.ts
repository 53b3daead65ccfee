/**
 * The shapes of schemas/change-record.v2.json as TypeScript types. The schema is the authority;
 * these types only describe documents that already passed it.
 */
import type { PushedTag } from '../util/types.ts'

export type Level = 'low' | 'medium' | 'high'
export type ChangeType = 'standard' | 'normal' | 'emergency'
export type ApprovalDecision =
  'approved' | 'rejected' | 'approved-with-conditions' | 'deferred' | 'abstained'

export interface Approval {
  role: string
  decision: ApprovalDecision
  time?: string
  /** In the input: who decided. In the record: their pseudonym, or absent without a key. */
  approver?: string
  conditions?: string
}

export interface ChangeRequest {
  id: string
  title: string
  summary?: string
  reason: string
  type: ChangeType
  ticketUrl?: string
  risk?: Level
  impact?: Level
  configurationItems?: string[]
  schedule?: { plannedStart?: string; plannedEnd?: string }
  implementationPlan?: string
  testPlan?: string
  backoutPlan?: string
  approvals?: Approval[]
  cab?: {
    required: boolean
    recommendation?: 'approve' | 'reject' | 'defer' | 'not-reviewed'
    meetingReference?: string
  }
}

export interface Delta<T> {
  added?: T[]
  removed?: T[]
}

export interface SubProcessor {
  name: string
  country: string
  purpose: string
}

export interface Party {
  name: string
  country?: string
  /** For a processor: the Art. 28(3) data processing agreement. */
  contractReference?: string
  subProcessors?: SubProcessor[]
}

export interface Transfer {
  country: string
  recipient?: string
  /** `sccs`, `bcrs` and `derogation` are the version 1 names of `scc`, `bcr`, `derogation-49`. */
  mechanism: 'adequacy' | 'scc' | 'bcr' | 'derogation-49' | 'sccs' | 'bcrs' | 'derogation'
  /** For scc: the module of the 2021 clauses. */
  module?: 'C2C' | 'C2P' | 'P2P' | 'P2C'
  /** For bcr: the approved rules. */
  reference?: string
  derogation?: string
  transferImpactAssessment?: string
}

/** An ISO 8601 duration, or a duration after an event (`{after: consent-withdrawn, duration: P30D}`). */
export type RetentionPeriod = string | { after: string; duration: string }

export interface RetentionRule {
  dataCategory?: string
  period: RetentionPeriod
  policyReference?: string
}

export interface RoleContact {
  role: string
  email: string
}

export type PersonalDataImpact = 'none' | 'low' | 'medium' | 'high'

export interface PersonalDataChange {
  impact: PersonalDataImpact
  /** Art. 10: criminal convictions and offences. */
  criminalOffenceData?: boolean
  /** Art. 35(3)(c). */
  systematicMonitoring?: boolean
  /** Art. 35(3)(b). */
  largeScale?: boolean
  ropaReference?: string
  role?: 'controller' | 'processor'
  purposes?: Delta<string>
  dataCategories?: Delta<string>
  dataSubjects?: Delta<string>
  specialCategories?: {
    added?: { category: string; condition: string }[]
    removed?: string[]
  }
  lawfulBasis?: Delta<{ basis: string; purpose?: string; assessmentReference?: string }>
  recipients?: Delta<Party>
  processors?: Delta<Party>
  transfers?: Delta<Transfer>
  retention?: Delta<RetentionRule>
  securityMeasures?: Delta<string>
  dpia?: {
    required?: boolean
    reference?: string
    status?: 'not-started' | 'in-progress' | 'completed' | 'approved' | 'not-required'
  }
  breachReference?: string
  roleContacts?: RoleContact[]
}

/** What a person writes in the file named by the `change-record` input. */
export interface ChangeRecordInput {
  change: ChangeRequest
  personalData: PersonalDataChange
}

export interface DigestSet {
  sha256: string
}

/** A release's link to the one published before it. */
export interface ChainLink {
  tag: string
  manifestDigest: DigestSet
  changeRecordDigest?: DigestSet
}

/** A withdrawal the chain records: the tag withdrawn and the digest of its withdrawal.json. */
export interface WithdrawalChainEntry {
  tag: string
  withdrawalDigest: DigestSet
}

/**
 * How personal identifiers appear in the record: keyed pseudonyms (the key stays with the
 * controller), or not at all.
 */
export type IdentifierPolicy =
  'omitted-no-key' | { scheme: 'hmac-sha256-128'; keyId: string; domain: string }

/** A rule of the change-record policy the record breaks (src/change-record/policy.ts). */
export interface PolicyFinding {
  rule: string
  /** JSON Pointer into the change-record file. */
  path: string
  message: string
}

/** The record written as change-record.json; `$defs/record` in the schema. */
export interface ChangeRecord {
  recordVersion: 2
  release: {
    repository: string
    commit: string
    tag: string
    /** Present when the release adopted a pushed tag instead of creating it (issue 16). */
    pushedTag?: PushedTag
    manifest: { name: 'release-manifest.json'; digest: DigestSet }
  }
  chain: {
    previous: ChainLink | null
    /** Withdrawals published since the previous release (newest first); absent when none. */
    withdrawals?: WithdrawalChainEntry[]
    commits?: { from?: string; to: string; count: number }
  }
  run: {
    url: string
    workflowRef: string
    eventName: string
  }
  createdAt: string
  nonce: string
  identifiers: IdentifierPolicy
  signing: {
    transparencyLog: boolean
    /** null when the owner's account type could not be determined. */
    ownerIsPersonalAccount: boolean | null
  }
  change?: ChangeRequest
  personalData: PersonalDataChange | { impact: 'unassessed' }
  /** Present when `change-record-policy: warn` released despite findings. */
  policy?: { mode: 'warn'; findings: PolicyFinding[] }
}
