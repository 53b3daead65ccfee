import { CHANGE_RECORD_FILE } from './constants.ts'
import type {
  ChangeRecord,
  Delta,
  Party,
  PersonalDataChange,
  RetentionRule,
  Transfer,
} from './types.ts'

/**
 * Text a person wrote, made inert for GitHub Markdown: HTML is entity-escaped, Markdown
 * punctuation backslash-escaped, and line breaks flattened so a value cannot leave its table
 * cell or start a heading, link, image or raw HTML block.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\\`*_{}[\]()#+\-.!|~@:]/g, '\\$&')
    .replace(/\s+/g, ' ')
    .trim()
}

function code(text: string): string {
  // A backtick would end the span and a pipe the table cell (GFM honours \| even in code).
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\``
}

function link(text: string, url: string): string {
  if (!/^https?:\/\//.test(url)) return escapeMarkdown(url)
  const href = encodeURI(decodeURIComponentSafe(url)).replace(/[()]/g, (c) =>
    c === '(' ? '%28' : '%29',
  )
  return `[${escapeMarkdown(text)}](${href})`
}

function decodeURIComponentSafe(url: string): string {
  try {
    return decodeURI(url)
  } catch {
    return url
  }
}

function delta(label: string, change: Delta<string> | undefined): string | undefined {
  if (!change) return undefined
  const parts = [
    ...(change.added ?? []).map((item) => `+${code(item)}`),
    ...(change.removed ?? []).map((item) => `−${code(item)}`),
  ]
  return parts.length > 0 ? `${label}: ${parts.join(' ')}` : undefined
}

/** `label value` pairs of an item's details, the ones given, joined: "country US, DPA DPA-7". */
function details(parts: readonly (readonly [string, string | undefined])[]): string {
  return parts
    .filter((part): part is readonly [string, string] => part[1] !== undefined && part[1] !== '')
    .map(([label, value]) => `${label} ${value}`)
    .join(', ')
}

function withDetails(
  name: string,
  parts: readonly (readonly [string, string | undefined])[],
): string {
  const shown = details(parts)
  return shown ? `${name} (${shown})` : name
}

function retentionPeriod(period: RetentionRule['period']): string {
  return typeof period === 'string' ? period : `${period.duration} after ${period.after}`
}

function partyName(party: Party): string {
  const subProcessors = (party.subProcessors ?? [])
    .map((sub) => `${sub.name} in ${sub.country} for ${sub.purpose}`)
    .join('; ')
  return withDetails(party.name, [
    ['country', party.country],
    ['DPA', party.contractReference],
    ['sub-processors:', subProcessors || undefined],
  ])
}

function transferName(t: Transfer): string {
  return withDetails(`${t.country} ${t.mechanism}`, [
    ['to', t.recipient],
    ['module', t.module],
    ['reference', t.reference],
    ['derogation', t.derogation],
    ['TIA', t.transferImpactAssessment],
  ])
}

function personalDataDeltas(pd: PersonalDataChange): string[] {
  const named = <T>(
    d: Delta<T> | undefined,
    name: (item: T) => string,
  ): Delta<string> | undefined =>
    d && {
      ...(d.added ? { added: d.added.map(name) } : {}),
      ...(d.removed ? { removed: d.removed.map(name) } : {}),
    }
  return [
    delta('purposes', pd.purposes),
    delta('data categories', pd.dataCategories),
    delta('data subjects', pd.dataSubjects),
    delta(
      'special categories',
      pd.specialCategories && {
        ...(pd.specialCategories.added
          ? { added: pd.specialCategories.added.map((s) => `${s.category} ${s.condition}`) }
          : {}),
        ...(pd.specialCategories.removed ? { removed: pd.specialCategories.removed } : {}),
      },
    ),
    delta(
      'lawful basis',
      named(pd.lawfulBasis, (b) =>
        withDetails(b.purpose ? `${b.basis} ${b.purpose}` : b.basis, [
          ['assessment', b.assessmentReference],
        ]),
      ),
    ),
    delta('recipients', named(pd.recipients, partyName)),
    delta('processors', named(pd.processors, partyName)),
    delta('transfers', named(pd.transfers, transferName)),
    delta(
      'retention',
      named(pd.retention, (r) =>
        withDetails(`${r.dataCategory ?? 'all'} ${retentionPeriod(r.period)}`, [
          ['policy', r.policyReference],
        ]),
      ),
    ),
    delta('security measures', pd.securityMeasures),
  ].filter((line): line is string => line !== undefined)
}

export interface RenderOptions {
  /** SHA-256 of change-record.json, shown so readers can match the asset. */
  recordSha256?: string
}

type Row = [label: string, value: string]

/** The record for release notes and the job summary. */
export function renderChangeRecordMarkdown(
  record: ChangeRecord,
  options: RenderOptions = {},
): string {
  const rows: Row[] = [
    ...changeRows(record.change),
    ...personalDataRows(record.personalData),
    ...policyRows(record.policy),
    ...chainRows(record.chain),
    ...releaseRows(record, options),
  ]
  return [
    '### Change record',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
    '',
  ].join('\n')
}

/** What changed, why, and who approved it. */
function changeRows(change: ChangeRecord['change']): Row[] {
  if (!change) return [['Change', 'no change record file was given']]
  const rows: Row[] = []
  rows.push(['Change', `${escapeMarkdown(change.id)}: ${escapeMarkdown(change.title)}`])
  rows.push(['Reason', escapeMarkdown(change.reason)])
  if (change.summary) rows.push(['Summary', escapeMarkdown(change.summary)])
  rows.push(['Type', escapeMarkdown(change.type)])
  if (change.risk || change.impact) {
    rows.push([
      'Risk / impact',
      `${change.risk ?? 'not stated'} / ${change.impact ?? 'not stated'}`,
    ])
  }
  if (change.ticketUrl) rows.push(['Ticket', link(change.ticketUrl, change.ticketUrl)])
  if (change.configurationItems?.length) {
    rows.push(['Configuration items', change.configurationItems.map(escapeMarkdown).join(', ')])
  }
  if (change.schedule?.plannedStart || change.schedule?.plannedEnd) {
    rows.push([
      'Schedule',
      `${escapeMarkdown(change.schedule.plannedStart ?? 'not stated')} to ${escapeMarkdown(change.schedule.plannedEnd ?? 'not stated')}`,
    ])
  }
  if (change.implementationPlan) {
    rows.push(['Implementation plan', escapeMarkdown(change.implementationPlan)])
  }
  if (change.testPlan) rows.push(['Test plan', escapeMarkdown(change.testPlan)])
  if (change.backoutPlan) rows.push(['Backout plan', escapeMarkdown(change.backoutPlan)])
  const approvals = (change.approvals ?? []).map((a) =>
    [
      `${escapeMarkdown(a.role)}: ${escapeMarkdown(a.decision)}`,
      a.approver ? `by ${code(a.approver)}` : '',
      a.time ? `at ${escapeMarkdown(a.time)}` : '',
      a.conditions ? `on condition: ${escapeMarkdown(a.conditions)}` : '',
    ]
      .filter(Boolean)
      .join(' '),
  )
  rows.push(['Approvals', approvals.length > 0 ? approvals.join('<br>') : 'none'])
  if (change.cab) {
    const cab = [
      change.cab.required ? 'required' : 'not required',
      change.cab.recommendation ? escapeMarkdown(change.cab.recommendation) : '',
      change.cab.meetingReference ? `meeting ${escapeMarkdown(change.cab.meetingReference)}` : '',
    ]
    rows.push(['CAB', cab.filter(Boolean).join(', ')])
  }
  return rows
}

/** The personal-data assessment; only the impact when it was not assessed. */
function personalDataRows(pd: ChangeRecord['personalData']): Row[] {
  const rows: Row[] = [['Personal-data impact', `**${escapeMarkdown(pd.impact)}**`]]
  if (pd.impact === 'unassessed') return rows
  if (pd.role) rows.push(['Role', escapeMarkdown(pd.role)])
  if (pd.ropaReference) rows.push(['Record of processing', escapeMarkdown(pd.ropaReference)])
  const flags = [
    pd.criminalOffenceData ? 'criminal-offence data (Art. 10)' : '',
    pd.systematicMonitoring ? 'systematic monitoring' : '',
    pd.largeScale ? 'large-scale' : '',
  ].filter(Boolean)
  if (flags.length > 0) rows.push(['Processing', flags.join(', ')])
  if (pd.dpia) {
    const state = [
      pd.dpia.status ? escapeMarkdown(pd.dpia.status) : '',
      // `required: false` says no more than the status not-required does.
      pd.dpia.required === true
        ? 'required'
        : pd.dpia.required === false && pd.dpia.status !== 'not-required'
          ? 'not required'
          : '',
    ].filter(Boolean)
    const reference = pd.dpia.reference ? escapeMarkdown(pd.dpia.reference) : 'no reference'
    rows.push(['DPIA', state.length > 0 ? `${reference} (${state.join(', ')})` : reference])
  }
  if (pd.breachReference) rows.push(['Breach reference', escapeMarkdown(pd.breachReference)])
  const deltas = personalDataDeltas(pd)
  if (deltas.length > 0) rows.push(['Personal-data changes', deltas.join('<br>')])
  if (pd.roleContacts?.length) {
    rows.push([
      'Contacts',
      pd.roleContacts.map((c) => `${escapeMarkdown(c.role)}: ${code(c.email)}`).join('<br>'),
    ])
  }
  return rows
}

/** The rules a `change-record-policy: warn` release went ahead despite. */
function policyRows(policy: ChangeRecord['policy']): Row[] {
  if (!policy) return []
  const findings = policy.findings.map(
    (f) => `${code(f.path)}: ${escapeMarkdown(f.message)} (${escapeMarkdown(f.rule)})`,
  )
  return [
    [
      'Policy findings',
      `released with change\\-record\\-policy ${policy.mode}:<br>${findings.join('<br>')}`,
    ],
  ]
}

/** The link to the previous release and the commits in between. */
function chainRows(chain: ChangeRecord['chain']): Row[] {
  const previous = chain.previous
  const rows: Row[] = [
    [
      'Previous release',
      previous
        ? `${escapeMarkdown(previous.tag)}, manifest ${code(`sha256:${previous.manifestDigest.sha256}`)}${previous.changeRecordDigest ? `, change record ${code(`sha256:${previous.changeRecordDigest.sha256}`)}` : ''}`
        : 'none (first release in the chain)',
    ],
  ]
  if (chain.commits) {
    const { from, to, count } = chain.commits
    rows.push([
      'Commits',
      `${count}${from ? ` (${code(from.slice(0, 12))}…${code(to.slice(0, 12))})` : ''}`,
    ])
  }
  return rows
}

/** The digests, how people are identified, the run, and the transparency log. */
function releaseRows(record: ChangeRecord, options: RenderOptions): Row[] {
  const rows: Row[] = [['Manifest', code(`sha256:${record.release.manifest.digest.sha256}`)]]
  if (options.recordSha256) {
    rows.push([escapeMarkdown(CHANGE_RECORD_FILE), code(`sha256:${options.recordSha256}`)])
  }
  rows.push([
    'Identifiers',
    record.identifiers === 'omitted-no-key'
      ? 'left out (no pseudonymization key)'
      : `keyed pseudonyms, key ${code(record.identifiers.keyId)}${record.identifiers.domain ? `, domain ${code(record.identifiers.domain)}` : ''}`,
  ])
  // Records of version 1 (earlier releases, shown by verify) pseudonymised the triggering actor.
  const { triggeredBy } = record.run as { triggeredBy?: string }
  if (triggeredBy) rows.push(['Triggered by', code(triggeredBy)])
  rows.push(['Workflow run', link('run', record.run.url)])
  rows.push([
    'Transparency log',
    record.signing.transparencyLog
      ? `public${record.signing.ownerIsPersonalAccount ? ' (names a personal account)' : ''}`
      : 'not used',
  ])
  return rows
}
