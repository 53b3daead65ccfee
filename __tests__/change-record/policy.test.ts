// Issue 14, policy rules: one table per rule (a passing record, each breaking variant and the
// exact finding), and the newsletter record, which passes only when complete.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { parseChangeRecordText } from '../../src/change-record/input.ts'
import {
  ADEQUACY_COUNTRIES,
  ChangeRecordPolicyError,
  applyChangeRecordPolicy,
  checkChangeRecordPolicy,
  type PolicyContext,
} from '../../src/change-record/policy.ts'
import { validateChangeRecordInput } from '../../src/change-record/schema.ts'
import type { ChangeRecordInput, PolicyFinding } from '../../src/change-record/types.ts'
import { FIXTURES, FULL_FIXTURE } from './helpers.ts'

const NEWSLETTER = new URL('newsletter.yaml', FIXTURES)
const CONTEXT: PolicyContext = { now: new Date('2026-04-01T00:00:00Z'), actors: ['octo-releaser'] }

async function load(url: URL): Promise<ChangeRecordInput> {
  const doc = parseChangeRecordText(await readFile(url, 'utf8')) as ChangeRecordInput & {
    $schema?: string
  }
  expect(validateChangeRecordInput(doc)).toEqual([])
  delete doc.$schema
  return doc
}

/** A change that touches no personal data: passes every rule. */
function plain(): ChangeRecordInput {
  return {
    change: {
      id: 'CHG1',
      title: 'Rotate TLS certificates',
      reason: 'Expiry',
      type: 'normal',
      approvals: [{ role: 'Change Manager', decision: 'approved', time: '2026-03-01T00:00:00Z' }],
    },
    personalData: { impact: 'low' },
  }
}

type Variant = [what: string, edit: (doc: ChangeRecordInput) => void, expected: PolicyFinding[]]

function runTable(rule: string, base: () => ChangeRecordInput, variants: Variant[]): void {
  describe(`rule ${rule}`, () => {
    it('passes the base record', () => {
      expect(checkChangeRecordPolicy(base(), CONTEXT)).toEqual([])
    })
    it.each(variants)('%s', (_what, edit, expected) => {
      const doc = base()
      edit(doc)
      // Each variant is a valid document: the rule, not the schema, refuses it.
      expect(validateChangeRecordInput(doc)).toEqual([])
      expect(checkChangeRecordPolicy(doc, CONTEXT)).toEqual(expected)
    })
  })
}

const DPIA_DUE = 'a DPIA is required because'
runTable('dpia (Art. 35)', plain, [
  [
    'high impact without a DPIA',
    (d) => (d.personalData = { impact: 'high' }),
    [
      {
        rule: 'dpia',
        path: '/personalData/dpia/reference',
        message: `${DPIA_DUE} personalData.impact is high (Art. 35): set its reference`,
      },
      {
        rule: 'dpia',
        path: '/personalData/dpia/status',
        message: `${DPIA_DUE} personalData.impact is high (Art. 35): its status must be completed or approved before release, not unset`,
      },
      {
        rule: 'approvals',
        path: '/change/approvals',
        message:
          'personalData.impact is high: add an approval (approved or approved-with-conditions) by the role dpo or data-protection-officer',
      },
    ],
  ],
  [
    'health data at impact low, DPIA in progress',
    (d) =>
      (d.personalData = {
        impact: 'low',
        specialCategories: { added: [{ category: 'health-data', condition: '9(2)(h)' }] },
        dpia: { reference: 'DPIA-1', status: 'in-progress' },
      }),
    [
      {
        rule: 'dpia',
        path: '/personalData/dpia/status',
        message: `${DPIA_DUE} special categories (Art. 9) are added (Art. 35): its status must be completed or approved before release, not in-progress`,
      },
    ],
  ],
  [
    'criminal-offence data, large scale, monitoring and dpia.required',
    (d) =>
      (d.personalData = {
        impact: 'low',
        criminalOffenceData: true,
        largeScale: true,
        systematicMonitoring: true,
        dpia: { required: true, status: 'not-required', reference: 'DPIA-2' },
      }),
    [
      {
        rule: 'dpia',
        path: '/personalData/dpia/status',
        message: `${DPIA_DUE} criminal-offence data (Art. 10) is processed, dpia.required is true, the processing monitors people systematically, the processing is large-scale (Art. 35): its status must be completed or approved before release, not not-required`,
      },
    ],
  ],
  [
    'an approved DPIA passes',
    (d) =>
      (d.personalData = {
        impact: 'high',
        dpia: { reference: 'DPIA-3', status: 'approved' },
      }),
    [
      {
        rule: 'approvals',
        path: '/change/approvals',
        message:
          'personalData.impact is high: add an approval (approved or approved-with-conditions) by the role dpo or data-protection-officer',
      },
    ],
  ],
])

runTable('approvals', plain, [
  [
    'a rejected approval',
    (d) => d.change.approvals?.push({ role: 'CAB', decision: 'rejected' }),
    [
      {
        rule: 'approvals',
        path: '/change/approvals/1/decision',
        message: 'a rejected approval blocks the release',
      },
    ],
  ],
  [
    'an approval dated after the run',
    (d) => ((d.change.approvals ?? [])[0]!.time = '2026-04-01T00:00:01Z'),
    [
      {
        rule: 'approvals',
        path: '/change/approvals/0/time',
        message: 'is after the run started: an approval cannot be dated in the future',
      },
    ],
  ],
  [
    'medium personal-data impact without the DPO',
    (d) => (d.personalData.impact = 'medium'),
    [
      {
        rule: 'approvals',
        path: '/change/approvals',
        message:
          'personalData.impact is medium: add an approval (approved or approved-with-conditions) by the role dpo or data-protection-officer',
      },
    ],
  ],
  [
    'a DPO who deferred does not count',
    (d) => {
      d.personalData.impact = 'medium'
      d.change.approvals?.push({ role: 'Data Protection Officer', decision: 'deferred' })
    },
    [
      {
        rule: 'approvals',
        path: '/change/approvals',
        message:
          'personalData.impact is medium: add an approval (approved or approved-with-conditions) by the role dpo or data-protection-officer',
      },
    ],
  ],
  [
    'a standard change with impact above low',
    (d) => {
      d.change.type = 'standard'
      d.change.impact = 'medium'
    },
    [
      {
        rule: 'approvals',
        path: '/change/type',
        message:
          'a standard change is pre-approved and low-risk by definition; with an impact above low make it a normal change with approvals',
      },
    ],
  ],
  [
    'self-approval by the triggering account',
    (d) => ((d.change.approvals ?? [])[0]!.approver = '@Octo-Releaser'),
    [
      {
        rule: 'approvals',
        path: '/change/approvals/0/approver',
        message:
          'is the account that triggered the run: a change needs an approver other than its releaser (self-approval)',
      },
    ],
  ],
])

/** A processor in the EEA: no transfer needed. */
function withProcessor(): ChangeRecordInput {
  const doc = plain()
  doc.personalData = {
    impact: 'low',
    processors: { added: [{ name: 'Mailer', country: 'IE', contractReference: 'DPA-1' }] },
  }
  return doc
}

const transfer = (d: ChangeRecordInput) =>
  d.personalData.transfers?.added?.[0] as never as Record<string, unknown>

runTable('transfers (Art. 44-46)', withProcessor, [
  [
    'a processor outside the EEA without a transfer',
    (d) => (d.personalData.processors!.added![0]!.country = 'BR'),
    [
      {
        rule: 'transfers',
        path: '/personalData/processors/added/0/country',
        message:
          'Mailer is in BR, outside the EEA: add a transfer for BR under personalData.transfers.added with its mechanism (Art. 44-46)',
      },
    ],
  ],
  [
    'a sub-processor and a recipient outside the EEA',
    (d) => {
      d.personalData.processors!.added![0]!.subProcessors = [
        { name: 'Cloud', country: 'IN', purpose: 'hosting' },
      ]
      d.personalData.recipients = { added: [{ name: 'Partner', country: 'JP' }] }
      d.personalData.transfers = { added: [{ country: 'JP', mechanism: 'adequacy' }] }
    },
    [
      {
        rule: 'transfers',
        path: '/personalData/processors/added/0/subProcessors/0/country',
        message:
          'Cloud is in IN, outside the EEA: add a transfer for IN under personalData.transfers.added with its mechanism (Art. 44-46)',
      },
    ],
  ],
  [
    'adequacy for a country without a decision',
    (d) => (d.personalData.transfers = { added: [{ country: 'BR', mechanism: 'adequacy' }] }),
    [
      {
        rule: 'transfers',
        path: '/personalData/transfers/added/0/mechanism',
        message: 'BR has no EU adequacy decision (Art. 45): use scc, bcr or derogation-49',
      },
    ],
  ],
  [
    'a transfer to an EEA country',
    (d) => (d.personalData.transfers = { added: [{ country: 'NO', mechanism: 'adequacy' }] }),
    [
      {
        rule: 'transfers',
        path: '/personalData/transfers/added/0/country',
        message: 'NO is in the EEA: it needs no transfer entry (remove it)',
      },
    ],
  ],
  [
    'standard contractual clauses without module and TIA (v1 spelling sccs)',
    (d) => (d.personalData.transfers = { added: [{ country: 'BR', mechanism: 'sccs' }] }),
    [
      {
        rule: 'transfers',
        path: '/personalData/transfers/added/0/module',
        message:
          'standard contractual clauses need the module: C2C, C2P, P2P or P2C (Decision (EU) 2021/914)',
      },
      {
        rule: 'transfers',
        path: '/personalData/transfers/added/0/transferImpactAssessment',
        message:
          'standard contractual clauses need a transfer impact assessment: set its reference',
      },
    ],
  ],
  [
    'binding corporate rules without a reference',
    (d) => (d.personalData.transfers = { added: [{ country: 'BR', mechanism: 'bcr' }] }),
    [
      {
        rule: 'transfers',
        path: '/personalData/transfers/added/0/reference',
        message: 'binding corporate rules need the reference of their approval (Art. 47)',
      },
    ],
  ],
  [
    'a derogation that names none',
    (d) => (d.personalData.transfers = { added: [{ country: 'BR', mechanism: 'derogation-49' }] }),
    [
      {
        rule: 'transfers',
        path: '/personalData/transfers/added/0/derogation',
        message: 'a transfer under a derogation must name it: 49(1)(a) to 49(1)(g) (Art. 49)',
      },
    ],
  ],
])

runTable('processors (Art. 28)', withProcessor, [
  [
    'a processor without a DPA or a country',
    (d) => (d.personalData.processors = { added: [{ name: 'Mailer' }] }),
    [
      {
        rule: 'processors',
        path: '/personalData/processors/added/0/contractReference',
        message: 'Mailer needs the reference of its data processing agreement (Art. 28(3))',
      },
      {
        rule: 'processors',
        path: '/personalData/processors/added/0/country',
        message: 'Mailer needs the country where it processes the data, for the transfer rules',
      },
    ],
  ],
])

function withCategories(): ChangeRecordInput {
  const doc = plain()
  doc.personalData = {
    impact: 'low',
    dataCategories: { added: ['user.contact.email', 'system.operations'] },
    retention: { added: [{ dataCategory: 'user.contact', period: 'P1Y' }] },
  }
  return doc
}

runTable('retention (Art. 5(1)(e))', withCategories, [
  [
    'a personal-data category without a retention period',
    (d) =>
      (d.personalData.retention = { added: [{ dataCategory: 'user.financial', period: 'P6Y' }] }),
    [
      {
        rule: 'retention',
        path: '/personalData/dataCategories/added/0',
        message:
          'user.contact.email has no retention period: add personalData.retention.added with its period (an ISO 8601 duration, or {after: <event>, duration: ...})',
      },
    ],
  ],
  [
    'a rule for all data covers every category',
    (d) =>
      (d.personalData.retention = {
        added: [{ period: { after: 'contract-ended', duration: 'P10Y' } }],
      }),
    [],
  ],
])

function withPurpose(): ChangeRecordInput {
  const doc = plain()
  doc.personalData = {
    impact: 'low',
    purposes: { added: ['essential.service.security'] },
    lawfulBasis: {
      added: [
        {
          basis: 'legitimate-interests',
          purpose: 'essential.service.security',
          assessmentReference: 'LIA-1',
        },
      ],
    },
  }
  return doc
}

runTable('lawful basis (Art. 6, 9)', withPurpose, [
  [
    'legitimate interests without an assessment',
    (d) => delete d.personalData.lawfulBasis!.added![0]!.assessmentReference,
    [
      {
        rule: 'lawful-basis',
        path: '/personalData/lawfulBasis/added/0/assessmentReference',
        message:
          'legitimate interests (Art. 6(1)(f)) need the reference of the legitimate-interests assessment',
      },
    ],
  ],
  [
    'the same under its Art. 6(1)(f) code',
    (d) => (d.personalData.lawfulBasis = { added: [{ basis: '6(1)(f)' }] }),
    [
      {
        rule: 'lawful-basis',
        path: '/personalData/lawfulBasis/added/0/assessmentReference',
        message:
          'legitimate interests (Art. 6(1)(f)) need the reference of the legitimate-interests assessment',
      },
    ],
  ],
  [
    'a purpose without a lawful basis',
    (d) =>
      (d.personalData.lawfulBasis = {
        added: [{ basis: 'contract', purpose: 'essential.service.operations' }],
      }),
    [
      {
        rule: 'lawful-basis',
        path: '/personalData/purposes/added/0',
        message:
          'essential.service.security has no lawful basis: add personalData.lawfulBasis.added for it (Art. 6(1))',
      },
    ],
  ],
])

describe('the newsletter record', () => {
  it('passes when complete', async () => {
    expect(checkChangeRecordPolicy(await load(NEWSLETTER), CONTEXT)).toEqual([])
  })

  const pieces: [string, (d: ChangeRecordInput) => void, [rule: string, path: string][]][] = [
    [
      'the transfer for the US processor',
      (d) => delete d.personalData.transfers,
      [
        ['transfers', '/personalData/processors/added/0/country'],
        ['transfers', '/personalData/processors/added/0/subProcessors/0/country'],
      ],
    ],
    [
      "the transfer's module and TIA",
      (d) => {
        delete transfer(d)['module']
        delete transfer(d)['transferImpactAssessment']
      },
      [
        ['transfers', '/personalData/transfers/added/0/module'],
        ['transfers', '/personalData/transfers/added/0/transferImpactAssessment'],
      ],
    ],
    [
      "the processor's DPA",
      (d) => delete d.personalData.processors!.added![0]!.contractReference,
      [['processors', '/personalData/processors/added/0/contractReference']],
    ],
    [
      'consent as the basis',
      (d) => delete d.personalData.lawfulBasis,
      [['lawful-basis', '/personalData/purposes/added/0']],
    ],
    [
      'the retention after consent withdrawal',
      (d) => delete d.personalData.retention,
      [['retention', '/personalData/dataCategories/added/0']],
    ],
    [
      "the DPO's approval",
      (d) => d.change.approvals!.splice(1, 1),
      [['approvals', '/change/approvals']],
    ],
  ]
  it.each(pieces)('fails without %s', async (_piece, remove, expected) => {
    const doc = await load(NEWSLETTER)
    remove(doc)
    expect(validateChangeRecordInput(doc)).toEqual([])
    expect(checkChangeRecordPolicy(doc, CONTEXT).map((f) => [f.rule, f.path])).toEqual(expected)
  })

  it('and the full example fixture pass', async () => {
    expect(checkChangeRecordPolicy(await load(FULL_FIXTURE), CONTEXT)).toEqual([])
  })
})

describe('the policy mode', () => {
  const findings: PolicyFinding[] = [
    { rule: 'dpia', path: '/personalData/dpia/reference', message: 'set it' },
  ]

  it('refuses under enforce with one error listing every finding, naming the input', () => {
    expect(() => applyChangeRecordPolicy(findings, 'enforce')).toThrow(ChangeRecordPolicyError)
    expect(() => applyChangeRecordPolicy(findings, 'enforce')).toThrow(
      /^Input 'change-record': the change record breaks 1 data-protection rule\(s\).*\/personalData\/dpia\/reference: set it \[dpia\].*change-record-policy: warn/,
    )
  })

  it('returns what the record carries under warn, and nothing without findings', () => {
    expect(applyChangeRecordPolicy(findings, 'warn')).toEqual({ mode: 'warn', findings })
    expect(applyChangeRecordPolicy([], 'enforce')).toBeUndefined()
    expect(applyChangeRecordPolicy([], 'warn')).toBeUndefined()
  })

  it('keeps its adequacy table to countries outside the EEA, each with its decision', () => {
    for (const [country, decision] of ADEQUACY_COUNTRIES) {
      expect(country).toMatch(/^[A-Z]{2}$/)
      expect(decision).toMatch(/\(.+\)$/)
    }
    expect(ADEQUACY_COUNTRIES.has('BR')).toBe(false)
  })
})
