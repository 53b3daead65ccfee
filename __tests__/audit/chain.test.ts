// The audit's pure decisions, table by table: chain findings, unsigned releases, tags,
// withdrawals, the Art. 30 register and the HTML escaping.
import { describe, expect, it } from 'vitest'
import {
  applyWithdrawals,
  chainFindings,
  tagFindings,
  unsignedFindings,
} from '../../src/audit/chain.ts'
import { escapeHtml, renderAuditHtml } from '../../src/audit/html.ts'
import { buildRegister, renderRegisterCsv } from '../../src/audit/register.ts'
import type { AuditReport, AuditedRelease } from '../../src/audit/types.ts'
import type { ChangeRecord } from '../../src/change-record/index.ts'
import type { WithdrawalRecord } from '../../src/withdrawal/index.ts'

const hex = (c: string) => c.repeat(64)

/** A verified signed release whose record links to `previous` (tag, or null) by `digests`. */
function signed(
  tag: string,
  previous: string | null,
  digests: { manifest?: string; record?: string } = {},
  personalData: ChangeRecord['personalData'] = { impact: 'none' },
): AuditedRelease {
  const record = {
    chain: {
      previous: previous
        ? {
            tag: previous,
            manifestDigest: { sha256: digests.manifest ?? hex(previous.slice(-1)) },
            changeRecordDigest: {
              sha256: digests.record ?? hex(previous.slice(-1)).replace(/^./, 'f'),
            },
          }
        : null,
    },
    personalData,
  } as unknown as ChangeRecord
  return {
    tag,
    prerelease: false,
    status: 'verified',
    signed: true,
    manifestSha256: hex(tag.slice(-1)),
    changeRecordSha256: hex(tag.slice(-1)).replace(/^./, 'f'),
    checks: [],
    commit: 'c'.repeat(40),
    record,
  }
}

const unsigned = (tag: string): AuditedRelease => ({
  tag,
  prerelease: false,
  status: 'unsigned',
  signed: false,
  checks: [],
})

const keys = (findings: { kind: string; release: string; related: string[] }[]) =>
  findings.map((f) => [f.kind, f.release, ...f.related].join(' '))

describe('chainFindings', () => {
  const cases: [string, AuditedRelease[], string[]][] = [
    ['an intact chain', [signed('v1', null), signed('v2', 'v1'), signed('v3', 'v2')], []],
    [
      'a deleted predecessor',
      [signed('v1', null), signed('v3', 'v2')],
      ['missing-predecessor v3 v2'],
    ],
    [
      'a manifest digest that differs',
      [signed('v1', null), signed('v2', 'v1', { manifest: hex('9') })],
      ['broken-link v2 v1'],
    ],
    [
      'a record digest that differs',
      [signed('v1', null), signed('v2', 'v1', { record: hex('9') })],
      ['broken-link v2 v1'],
    ],
    [
      'two releases naming one predecessor',
      [signed('v1', null), signed('v2', 'v1'), signed('v3', 'v1')],
      ['fork v3 v2 v1'],
    ],
    [
      'a link past the release before it',
      [signed('v1', null), signed('v2', 'v1'), signed('v3', 'v2'), signed('v4', 'v2')],
      ['fork v4 v3 v2'],
    ],
    [
      'a link to an older release, no fork',
      [signed('v1', null), signed('v2', null), signed('v3', 'v1')],
      ['orphan v2 v1', 'orphan v3 v1 v2'],
    ],
    [
      'an unsigned release in between is skipped, not a break',
      [signed('v1', null), unsigned('v2'), signed('v3', 'v1')],
      [],
    ],
  ]
  it.each(cases)('%s', (_, releases, expected) => {
    expect(keys(chainFindings(releases))).toEqual(expected)
  })
})

describe('unsignedFindings', () => {
  it.each([
    ['between two signed releases', ['s', 'u', 's'], ['unsigned-release u1 s0 s2']],
    ['before the first signed release', ['u', 's', 's'], []],
    ['after the last signed release', ['s', 's', 'u'], []],
  ])('%s', (_, shape, expected) => {
    const releases = shape.map((k, i) => (k === 's' ? signed(`s${i}`, null) : unsigned(`u${i}`)))
    expect(keys(unsignedFindings(releases))).toEqual(expected)
  })
})

describe('tagFindings', () => {
  it('a moved tag, a deleted tag, a tag in place', () => {
    const releases = [signed('v1', null), signed('v2', 'v1'), signed('v3', 'v2')]
    const tags = new Map([
      ['v1', 'c'.repeat(40)],
      ['v2', 'd'.repeat(40)],
    ])
    expect(keys(tagFindings(releases, tags))).toEqual(['tag-moved v2', 'tag-moved v3'])
  })
})

describe('applyWithdrawals', () => {
  const record = { withdrawnAt: '2026-01-01T00:00:00Z' } as WithdrawalRecord
  it('verified marks the release, invalid is a finding, unverified is another', () => {
    const { releases, findings } = applyWithdrawals(
      [signed('v1', null), signed('v2', 'v1')],
      [
        { releaseTag: 'withdrawn/v1', withdrawnTag: 'v1', outcome: { status: 'verified', record } },
        {
          releaseTag: 'withdrawn/v2',
          withdrawnTag: 'v2',
          outcome: { status: 'invalid', problem: 'forged' },
        },
      ],
    )
    expect(releases.map((r) => r.status)).toEqual(['withdrawn', 'verified'])
    expect(keys(findings)).toEqual(['withdrawal-invalid v2 withdrawn/v2'])
  })
})

describe('buildRegister', () => {
  it('introduces, changes and removes entries in chain order; removal of an unknown entry is ignored', () => {
    const pd = (p: object) => ({ impact: 'low', ...p }) as ChangeRecord['personalData']
    const rows = buildRegister([
      signed(
        'v1',
        null,
        {},
        pd({
          purposes: { added: ['a', 'b'] },
          recipients: { added: [{ name: 'R', country: 'DE' }] },
        }),
      ),
      signed('v2', 'v1', {}, pd({ purposes: { removed: ['a', 'zz'] } })),
      signed('v3', 'v2', {}, pd({ recipients: { added: [{ name: 'R', country: 'FR' }] } })),
    ])
    expect(
      rows.map((r) => [
        r.category,
        r.item,
        r.details,
        r.status,
        r.introducedIn,
        r.changedIn,
        r.removedIn,
      ]),
    ).toEqual([
      ['purposes', 'a', '', 'removed', 'v1', '', 'v2'],
      ['purposes', 'b', '', 'current', 'v1', '', ''],
      ['recipients', 'R', 'country: FR', 'current', 'v1', 'v3', ''],
    ])
  })

  it('CSV quotes commas, quotes and line breaks, and defuses formulas', () => {
    const csv = renderRegisterCsv([
      {
        category: 'purposes',
        item: '=HYPERLINK("x")',
        details: 'a, "b"\nc',
        status: 'current',
        introducedIn: 'v1',
        changedIn: '',
        removedIn: '',
      },
    ])
    expect(csv.split('\r\n')[1]).toBe(`purposes,"'=HYPERLINK(""x"")","a, ""b""\nc",current,v1,,`)
  })
})

describe('the HTML report', () => {
  it('escapes what it shows', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    )
    const report: AuditReport = {
      repository: 'o/r',
      auditedAt: '2026-01-01T00:00:00Z',
      source: 'github',
      trustedRoot: { source: 'root.json', sha256: hex('a') },
      releases: [unsigned('<img src=x onerror=alert(1)>')],
      findings: [],
      notes: [],
      summary: { releases: 1, verified: 0, withdrawn: 0, unsigned: 1, notVerified: 0, findings: 0 },
    }
    const html = renderAuditHtml(report)
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.toMatch(/<script|<link|src=["']?http|url\(/i)
  })
})
