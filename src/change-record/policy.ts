import { InputError } from '../util/errors.ts'
import type {
  ChangeRecordInput,
  Party,
  PersonalDataChange,
  PolicyFinding,
  Transfer,
} from './types.ts'

/**
 * The rules a data-protection officer checks in a change record, beyond its shape: when a DPIA
 * is due (Art. 35), who must approve (Art. 38, ITIL change authority), transfers to third
 * countries (Art. 44-49), processors (Art. 28), retention (Art. 5(1)(e)) and the lawful basis
 * (Art. 6, 9). Pure functions of the record as written and of the run; each broken rule is one
 * finding naming the field to fix. See docs/gdpr.md.
 */

export type PolicyMode = 'enforce' | 'warn'
export type { PolicyFinding }

export interface PolicyContext {
  /** When the run started: no approval may be dated after it. */
  now: Date
  /** GITHUB_ACTOR and GITHUB_TRIGGERING_ACTOR: an approval by them is self-approval. */
  actors: readonly string[]
}

/** EU and the EEA countries of the EEA Agreement (ISO 3166-1 alpha-2; Greece is GR). */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set(
  (
    'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK' + // EU 27
    ' IS LI NO'
  ).split(' '),
)

/**
 * Countries with an EU adequacy decision (Art. 45), from the European Commission's list
 * "Adequacy decisions" (commission.europa.eu, law-topic data-protection, international
 * dimension), as of 2025-01: the eleven decisions under Directive 95/46/EC confirmed in the
 * review of 15 January 2024, Japan (2019), the Republic of Korea (2021), the United Kingdom
 * (2021) and the United States (10 July 2023, EU-US Data Privacy Framework). Canada's covers
 * commercial organisations under PIPEDA and the United States' only organisations certified
 * under the Data Privacy Framework: the record's transfer entry is where to say so.
 */
export const ADEQUACY_COUNTRIES: ReadonlyMap<string, string> = new Map([
  ['AD', 'Andorra (2010/625/EU)'],
  ['AR', 'Argentina (2003/490/EC)'],
  ['CA', 'Canada, commercial organisations (2002/2/EC)'],
  ['CH', 'Switzerland (2000/518/EC)'],
  ['FO', 'Faroe Islands (2010/146/EU)'],
  ['GB', 'United Kingdom (C(2021) 4800)'],
  ['GG', 'Guernsey (2003/821/EC)'],
  ['IL', 'Israel (2011/61/EU)'],
  ['IM', 'Isle of Man (2004/411/EC)'],
  ['JE', 'Jersey (2008/393/EC)'],
  ['JP', 'Japan (2019/419)'],
  ['KR', 'Republic of Korea (2022/254)'],
  ['NZ', 'New Zealand (2013/65/EU)'],
  ['US', 'United States, Data Privacy Framework certified organisations (C(2023) 4745)'],
  ['UY', 'Uruguay (2012/484/EU)'],
])

const DPO_ROLES = new Set(['dpo', 'data-protection-officer'])
const CONSENTING = new Set(['approved', 'approved-with-conditions'])
const LEGITIMATE_INTERESTS = new Set(['6(1)(f)', 'legitimate-interests'])

/** Every rule the record breaks, in a fixed order (rule, then field). */
export function checkChangeRecordPolicy(
  input: ChangeRecordInput,
  context: PolicyContext,
): PolicyFinding[] {
  return [
    ...dpiaFindings(input.personalData),
    ...approvalFindings(input, context),
    ...transferFindings(input.personalData),
    ...processorFindings(input.personalData),
    ...retentionFindings(input.personalData),
    ...lawfulBasisFindings(input.personalData),
  ]
}

/** The one error for `change-record-policy: enforce`, listing every finding. */
export class ChangeRecordPolicyError extends InputError {
  readonly findings: readonly PolicyFinding[]

  constructor(findings: readonly PolicyFinding[]) {
    super(
      'change-record',
      `the change record breaks ${findings.length} data-protection rule(s), so nothing was signed or published: ${describePolicyFindings(findings)}. Fix the record, or set change-record-policy: warn to release with these findings recorded in the signed record.`,
    )
    this.name = 'ChangeRecordPolicyError'
    this.findings = findings
  }
}

export function describePolicyFindings(findings: readonly PolicyFinding[]): string {
  return findings.map((f) => `${f.path}: ${f.message} [${f.rule}]`).join('; ')
}

/**
 * Applies the mode: throws under `enforce`, returns what the record must carry under `warn`
 * (nothing when there are no findings).
 */
export function applyChangeRecordPolicy(
  findings: readonly PolicyFinding[],
  mode: PolicyMode,
): { mode: 'warn'; findings: PolicyFinding[] } | undefined {
  if (findings.length === 0) return undefined
  if (mode === 'enforce') throw new ChangeRecordPolicyError(findings)
  return { mode: 'warn', findings: [...findings] }
}

function finding(rule: string, path: string, message: string): PolicyFinding {
  return { rule, path, message }
}

/** Rule 1 (Art. 35): what makes a DPIA due, and that it is done. */
export function dpiaTriggers(pd: PersonalDataChange): string[] {
  const triggers: string[] = []
  if (pd.impact === 'high') triggers.push('personalData.impact is high')
  if (pd.specialCategories?.added?.length) triggers.push('special categories (Art. 9) are added')
  if (pd.criminalOffenceData) triggers.push('criminal-offence data (Art. 10) is processed')
  if (pd.dpia?.required) triggers.push('dpia.required is true')
  if (pd.systematicMonitoring) triggers.push('the processing monitors people systematically')
  if (pd.largeScale) triggers.push('the processing is large-scale')
  return triggers
}

function dpiaFindings(pd: PersonalDataChange): PolicyFinding[] {
  const triggers = dpiaTriggers(pd)
  if (triggers.length === 0) return []
  const because = `a DPIA is required because ${triggers.join(', ')} (Art. 35)`
  const findings: PolicyFinding[] = []
  if (!pd.dpia?.reference) {
    findings.push(finding('dpia', '/personalData/dpia/reference', `${because}: set its reference`))
  }
  const status = pd.dpia?.status
  if (status !== 'completed' && status !== 'approved') {
    findings.push(
      finding(
        'dpia',
        '/personalData/dpia/status',
        `${because}: its status must be completed or approved before release, not ${status ?? 'unset'}`,
      ),
    )
  }
  return findings
}

/** A role as people write it (`Data Protection Officer`, `DPO`), compared in one spelling. */
function roleKey(role: string): string {
  return role
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
}

/** A GitHub login as an approver may be written: `@login`, `github:login` or `login`. */
function loginOf(identifier: string): string {
  return identifier
    .trim()
    .replace(/^(?:@|github:)/i, '')
    .toLowerCase()
}

/** Rule 2: decisions that block, dates that cannot be, who must approve, self-approval. */
function approvalFindings(input: ChangeRecordInput, context: PolicyContext): PolicyFinding[] {
  const { change, personalData: pd } = input
  const approvals = change.approvals ?? []
  const actors = new Set(context.actors.filter(Boolean).map(loginOf))
  const findings: PolicyFinding[] = []
  approvals.forEach((approval, i) => {
    const at = `/change/approvals/${i}`
    if (approval.decision === 'rejected') {
      findings.push(
        finding('approvals', `${at}/decision`, 'a rejected approval blocks the release'),
      )
    }
    if (approval.time !== undefined && Date.parse(approval.time) > context.now.getTime()) {
      findings.push(
        finding(
          'approvals',
          `${at}/time`,
          'is after the run started: an approval cannot be dated in the future',
        ),
      )
    }
    if (approval.approver !== undefined && actors.has(loginOf(approval.approver))) {
      findings.push(
        finding(
          'approvals',
          `${at}/approver`,
          'is the account that triggered the run: a change needs an approver other than its releaser (self-approval)',
        ),
      )
    }
  })
  if (pd.impact === 'medium' || pd.impact === 'high') {
    const byDpo = approvals.some(
      (a) => DPO_ROLES.has(roleKey(a.role)) && CONSENTING.has(a.decision),
    )
    if (!byDpo) {
      findings.push(
        finding(
          'approvals',
          '/change/approvals',
          `personalData.impact is ${pd.impact}: add an approval (approved or approved-with-conditions) by the role dpo or data-protection-officer`,
        ),
      )
    }
  }
  const above = [change.impact, pd.impact].some((level) => level === 'medium' || level === 'high')
  if (change.type === 'standard' && above) {
    findings.push(
      finding(
        'approvals',
        '/change/type',
        'a standard change is pre-approved and low-risk by definition; with an impact above low make it a normal change with approvals',
      ),
    )
  }
  return findings
}

function isStandardContractualClauses(mechanism: Transfer['mechanism']): boolean {
  return mechanism === 'scc' || mechanism === 'sccs'
}

/** Rule 3 (Art. 44-49): each transfer entry has what its mechanism needs. */
function transferEntryFindings(transfer: Transfer, at: string): PolicyFinding[] {
  const findings: PolicyFinding[] = []
  const { country, mechanism } = transfer
  if (EEA_COUNTRIES.has(country)) {
    findings.push(
      finding(
        'transfers',
        `${at}/country`,
        `${country} is in the EEA: it needs no transfer entry (remove it)`,
      ),
    )
    return findings
  }
  if (mechanism === 'adequacy' && !ADEQUACY_COUNTRIES.has(country)) {
    findings.push(
      finding(
        'transfers',
        `${at}/mechanism`,
        `${country} has no EU adequacy decision (Art. 45): use scc, bcr or derogation-49`,
      ),
    )
  }
  if (isStandardContractualClauses(mechanism)) {
    if (!transfer.module) {
      findings.push(
        finding(
          'transfers',
          `${at}/module`,
          'standard contractual clauses need the module: C2C, C2P, P2P or P2C (Decision (EU) 2021/914)',
        ),
      )
    }
    if (!transfer.transferImpactAssessment) {
      findings.push(
        finding(
          'transfers',
          `${at}/transferImpactAssessment`,
          'standard contractual clauses need a transfer impact assessment: set its reference',
        ),
      )
    }
  }
  if ((mechanism === 'bcr' || mechanism === 'bcrs') && !transfer.reference) {
    findings.push(
      finding(
        'transfers',
        `${at}/reference`,
        'binding corporate rules need the reference of their approval (Art. 47)',
      ),
    )
  }
  if ((mechanism === 'derogation-49' || mechanism === 'derogation') && !transfer.derogation) {
    findings.push(
      finding(
        'transfers',
        `${at}/derogation`,
        'a transfer under a derogation must name it: 49(1)(a) to 49(1)(g) (Art. 49)',
      ),
    )
  }
  return findings
}

/** Every added party (and sub-processor) with a country, with its JSON Pointer. */
function partiesWithCountry(
  pd: PersonalDataChange,
): { at: string; name: string; country: string }[] {
  const found: { at: string; name: string; country: string }[] = []
  const add = (parties: readonly Party[] | undefined, field: string): void => {
    parties?.forEach((party, i) => {
      const at = `/personalData/${field}/added/${i}`
      if (party.country)
        found.push({ at: `${at}/country`, name: party.name, country: party.country })
      party.subProcessors?.forEach((sub, j) => {
        found.push({ at: `${at}/subProcessors/${j}/country`, name: sub.name, country: sub.country })
      })
    })
  }
  add(pd.processors?.added, 'processors')
  add(pd.recipients?.added, 'recipients')
  return found
}

function transferFindings(pd: PersonalDataChange): PolicyFinding[] {
  const transfers = pd.transfers?.added ?? []
  const findings = transfers.flatMap((t, i) =>
    transferEntryFindings(t, `/personalData/transfers/added/${i}`),
  )
  const covered = new Set(transfers.map((t) => t.country))
  for (const party of partiesWithCountry(pd)) {
    if (EEA_COUNTRIES.has(party.country) || covered.has(party.country)) continue
    findings.push(
      finding(
        'transfers',
        party.at,
        `${party.name} is in ${party.country}, outside the EEA: add a transfer for ${party.country} under personalData.transfers.added with its mechanism (Art. 44-46)`,
      ),
    )
  }
  return findings
}

/** Rule 4 (Art. 28): a processor is bound by a contract and has a place. */
function processorFindings(pd: PersonalDataChange): PolicyFinding[] {
  const findings: PolicyFinding[] = []
  pd.processors?.added?.forEach((processor, i) => {
    const at = `/personalData/processors/added/${i}`
    if (!processor.contractReference) {
      findings.push(
        finding(
          'processors',
          `${at}/contractReference`,
          `${processor.name} needs the reference of its data processing agreement (Art. 28(3))`,
        ),
      )
    }
    if (!processor.country) {
      findings.push(
        finding(
          'processors',
          `${at}/country`,
          `${processor.name} needs the country where it processes the data, for the transfer rules`,
        ),
      )
    }
  })
  return findings
}

/** Whether a retention rule for `rule` (a fideslang key, or all data) covers `category`. */
function covers(rule: string | undefined, category: string): boolean {
  return rule === undefined || category === rule || category.startsWith(`${rule}.`)
}

/** Rule 5 (Art. 5(1)(e)): every personal-data category the change adds has a retention period. */
function retentionFindings(pd: PersonalDataChange): PolicyFinding[] {
  const rules = pd.retention?.added ?? []
  const findings: PolicyFinding[] = []
  pd.dataCategories?.added?.forEach((category, i) => {
    if (!category.startsWith('user')) return // system data is no personal data
    if (rules.some((rule) => covers(rule.dataCategory, category))) return
    findings.push(
      finding(
        'retention',
        `/personalData/dataCategories/added/${i}`,
        `${category} has no retention period: add personalData.retention.added with its period (an ISO 8601 duration, or {after: <event>, duration: ...})`,
      ),
    )
  })
  return findings
}

/** Rule 6 (Art. 6, 9): a basis for every added purpose; an assessment for legitimate interests. */
function lawfulBasisFindings(pd: PersonalDataChange): PolicyFinding[] {
  const bases = pd.lawfulBasis?.added ?? []
  const findings: PolicyFinding[] = []
  bases.forEach((basis, i) => {
    if (LEGITIMATE_INTERESTS.has(basis.basis) && !basis.assessmentReference) {
      findings.push(
        finding(
          'lawful-basis',
          `/personalData/lawfulBasis/added/${i}/assessmentReference`,
          'legitimate interests (Art. 6(1)(f)) need the reference of the legitimate-interests assessment',
        ),
      )
    }
  })
  pd.purposes?.added?.forEach((purpose, i) => {
    if (bases.some((b) => b.purpose === undefined || b.purpose === purpose)) return
    findings.push(
      finding(
        'lawful-basis',
        `/personalData/purposes/added/${i}`,
        `${purpose} has no lawful basis: add personalData.lawfulBasis.added for it (Art. 6(1))`,
      ),
    )
  })
  pd.specialCategories?.added?.forEach((special, i) => {
    if (!special.condition) {
      findings.push(
        finding(
          'lawful-basis',
          `/personalData/specialCategories/added/${i}/condition`,
          'special categories need an Art. 9(2) condition',
        ),
      )
    }
  })
  return findings
}
