/**
 * The shapes of schemas/change-record.v1.json as TypeScript types. The schema is the authority;
 * these types only describe documents that already passed it.
 */

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

export interface Party {
  name: string
  country?: string
  contractReference?: string
}

export interface Transfer {
  country: string
  recipient?: string
  mechanism: 'adequacy' | 'sccs' | 'bcrs' | 'derogation'
  derogation?: string
  transferImpactAssessment?: string
}

export interface RetentionRule {
  dataCategory?: string
  period: string
  policyReference?: string
}

export interface RoleContact {
  role: string
  email: string
}

export type PersonalDataImpact = 'none' | 'low' | 'high'

export interface PersonalDataChange {
  impact: PersonalDataImpact
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
    status?: 'not-started' | 'in-progress' | 'completed' | 'not-required'
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

/**
 * How personal identifiers appear in the record: keyed pseudonyms (the key stays with the
 * controller), or not at all.
 */
export type IdentifierPolicy = 'omitted-no-key' | { scheme: 'hmac-sha256-128'; keyId: string }

/** The record written as change-record.json; `$defs/record` in the schema. */
export interface ChangeRecord {
  recordVersion: 1
  release: {
    repository: string
    commit: string
    tag: string
    manifest: { name: 'release-manifest.json'; digest: DigestSet }
  }
  chain: {
    previous: ChainLink | null
    commits?: { from?: string; to: string; count: number }
  }
  run: {
    url: string
    workflowRef: string
    eventName: string
    triggeredBy?: string
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
}
