// The record of processing as the releases changed it (GDPR Art. 30): each verified change
// record's personal-data deltas applied in chain order, each row naming the release that
// introduced, changed or removed the entry. Pure: releases in, rows out.
import type { ChangeRecord } from '../change-record/index.ts'
import type { AuditedRelease } from './types.ts'

export interface RegisterRow {
  /** The record's field: `purposes`, `dataCategories`, `recipients`, `transfers`, … */
  category: string
  /** What the entry is (a purpose, a recipient's name, a transfer's country and recipient). */
  item: string
  /** Its other fields, `name: value` joined with `; `. */
  details: string
  status: 'current' | 'removed'
  introducedIn: string
  /** The last release that changed its details; empty when none did. */
  changedIn: string
  removedIn: string
}

export const REGISTER_COLUMNS: readonly (keyof RegisterRow)[] = [
  'category',
  'item',
  'details',
  'status',
  'introducedIn',
  'changedIn',
  'removedIn',
]

type PersonalData = Extract<ChangeRecord['personalData'], { purposes?: unknown }>

interface Entry {
  item: string
  details: string
}

const joinDetails = (fields: Record<string, string | undefined>): string =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `${name}: ${value}`)
    .join('; ')

const text = (value: string): Entry => ({ item: value, details: '' })

/** Each delta of a record as added and removed entries, by register category. */
function deltasOf(pd: PersonalData): { category: string; added: Entry[]; removed: Entry[] }[] {
  const party = (p: { name: string; country?: string; contractReference?: string }): Entry => ({
    item: p.name,
    details: joinDetails({ country: p.country, contract: p.contractReference }),
  })
  const both = <T>(delta: { added?: T[]; removed?: T[] } | undefined, as: (t: T) => Entry) => ({
    added: (delta?.added ?? []).map(as),
    removed: (delta?.removed ?? []).map(as),
  })
  return [
    { category: 'purposes', ...both(pd.purposes, text) },
    {
      category: 'lawfulBasis',
      ...both(pd.lawfulBasis, (b) => ({
        item: b.purpose ? `${b.basis} (${b.purpose})` : b.basis,
        details: joinDetails({ assessment: b.assessmentReference }),
      })),
    },
    { category: 'dataCategories', ...both(pd.dataCategories, text) },
    {
      category: 'specialCategories',
      added: (pd.specialCategories?.added ?? []).map((s) => ({
        item: s.category,
        details: joinDetails({ condition: s.condition }),
      })),
      removed: (pd.specialCategories?.removed ?? []).map(text),
    },
    { category: 'dataSubjects', ...both(pd.dataSubjects, text) },
    { category: 'recipients', ...both(pd.recipients, party) },
    { category: 'processors', ...both(pd.processors, party) },
    {
      category: 'transfers',
      ...both(pd.transfers, (t) => ({
        item: t.recipient ? `${t.country}: ${t.recipient}` : t.country,
        details: joinDetails({
          safeguard: t.mechanism,
          derogation: t.derogation,
          assessment: t.transferImpactAssessment,
        }),
      })),
    },
    {
      category: 'retention',
      ...both(pd.retention, (r) => ({
        item: r.dataCategory ?? '(all data)',
        details: joinDetails({
          period:
            typeof r.period === 'string'
              ? r.period
              : `${r.period.duration} after ${r.period.after}`,
          policy: r.policyReference,
        }),
      })),
    },
    { category: 'securityMeasures', ...both(pd.securityMeasures, text) },
  ]
}

/**
 * Applies every trusted record's deltas in the order given (the chain's): a removal closes the
 * current entry; an addition opens one, or changes it when an entry of that name is current
 * (or was removed by the same release) with other details.
 */
export function buildRegister(releases: readonly AuditedRelease[]): RegisterRow[] {
  const rows: RegisterRow[] = []
  const current = new Map<string, RegisterRow>()
  for (const release of releases) {
    const pd = release.record?.personalData
    if (!pd || pd.impact === 'unassessed') continue
    for (const { category, added, removed } of deltasOf(pd as PersonalData)) {
      const removedNow = new Map<string, RegisterRow>()
      for (const entry of removed) {
        const key = `${category}\u0000${entry.item}`
        const row = current.get(key)
        if (!row) continue
        row.status = 'removed'
        row.removedIn = release.tag
        current.delete(key)
        removedNow.set(key, row)
      }
      for (const entry of added) {
        const key = `${category}\u0000${entry.item}`
        const replaced = current.get(key) ?? removedNow.get(key)
        if (replaced && replaced.details !== entry.details) {
          // Same entry, new details: one row, changed by this release.
          Object.assign(replaced, {
            details: entry.details,
            status: 'current',
            changedIn: release.tag,
            removedIn: '',
          })
          current.set(key, replaced)
          continue
        }
        if (replaced) {
          Object.assign(replaced, { status: 'current', removedIn: '' })
          current.set(key, replaced)
          continue
        }
        const row: RegisterRow = {
          category,
          item: entry.item,
          details: entry.details,
          status: 'current',
          introducedIn: release.tag,
          changedIn: '',
          removedIn: '',
        }
        rows.push(row)
        current.set(key, row)
      }
    }
  }
  return rows
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. A field a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The register as CSV with a header row, CRLF line ends. */
export function renderRegisterCsv(rows: readonly RegisterRow[]): string {
  const lines = [REGISTER_COLUMNS.join(',')]
  for (const row of rows) lines.push(REGISTER_COLUMNS.map((c) => csvField(row[c])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

/** The same rows as JSON. */
export function renderRegisterJson(rows: readonly RegisterRow[]): string {
  return `${JSON.stringify({ columns: REGISTER_COLUMNS, rows }, null, 2)}\n`
}
