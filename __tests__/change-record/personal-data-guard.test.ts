import { describe, expect, it } from 'vitest'
import { assertNoPersonalData } from '../../src/change-record/index.ts'
import {
  PersonalDataError,
  scanForPersonalData,
  stringFields,
  type Finding,
  type ScanOptions,
} from '../../src/change-record/personal-data-guard.ts'
import { InputError } from '../../src/util/errors.ts'

const AUTHORS: ScanOptions['authors'] = [
  { name: 'Jane Doe', email: 'jane.doe@corp.example' },
  { name: 'Octo Cat', email: '583231+octocat@users.noreply.github.com' },
  { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
  { name: 'GitHub', email: 'noreply@github.com' },
]

function scan(value: string, options: ScanOptions = { authors: AUTHORS }): Finding[] {
  return scanForPersonalData([{ path: '/x', value }], options)
}

describe('scanForPersonalData', () => {
  const hits: [string, Finding['kind'], string][] = [
    ['contact anna.schmidt@example.org for access', 'email', 'a***@e***.org'],
    ['Call +44 20 7946 0958 for support', 'phone', '+4***58'],
    ['tel:+442079460958', 'phone', '+4***58'],
    ['+1-202-555-0143', 'phone', '+1***43'],
    ['+49 (0)30 1234567', 'phone', '+4***67'],
    ['hotline 020 7946 0958', 'phone', '02***58'],
    ['(030) 1234567', 'phone', '03***67'],
    ['06 12 34 56 78', 'phone', '06***78'],
    ['(202) 555-0143', 'phone', '20***43'],
    ['202-555-0143', 'phone', '20***43'],
    ['blocked client 192.168.10.20', 'ipv4', '192.***.***.***'],
    ['host 2001:db8::8a2e:370:7334 was slow', 'ipv6', '2001:***'],
    ['[fe80::1ff:fe23:4567:890a]:443', 'ipv6', 'fe80:***'],
    ['reviewed with Jane Doe', 'author-name', 'J*** D***'],
    ['thanks octocat', 'author-login', 'o***'],
    ['mail JANE.DOE@corp.example', 'author-email', 'j***@c***.example'],
    ['ping @alice-w about it', 'mention', '@a***'],
  ]
  it.each(hits)('finds %j', (value, kind, masked) => {
    expect(scan(value)).toEqual([{ path: '/x', kind, masked }])
  })

  it('finds personal data in artifact file names and archive member paths', () => {
    const findings = scanForPersonalData(
      [
        {
          path: 'subject:0/name',
          value: 'report-jane.doe@corp.example.pdf',
          input: 'subject-path',
        },
        { path: 'subject:1/name', value: 'dump-10.0.0.7.log', input: 'subject-path' },
        { path: 'subject:2/name', value: 'tool-1.2.3.4.tar.gz', input: 'subject-path' },
        {
          path: 'subject:3/archive/members/5',
          value: 'home/jane_doe/.bashrc',
          input: 'subject-path',
        },
        { path: 'subject:4/name', value: 'contacts-+4915112345678.vcf', input: 'subject-path' },
      ],
      { authors: AUTHORS },
    )
    expect(findings.map((f) => [f.path, f.kind])).toEqual([
      ['subject:0/name', 'author-email'],
      ['subject:1/name', 'ipv4'],
      ['subject:2/name', 'ipv4'],
      ['subject:3/archive/members/5', 'author-name'],
      ['subject:4/name', 'phone'],
    ])
  })

  const clean = [
    'v1.2.3',
    'widget-1.2.3.tar.gz',
    'widget-v1.2.3.4.zip',
    'widget-1.2.3.4.5.zip',
    '2025-06-03',
    '2025-06-03T07:00:00Z',
    '03.06.2025',
    '06/03/2025',
    '03.06.2025 09:30',
    `sha256:${'0123456789abcdef'.repeat(4)}`,
    '0123456789abcdef0123456789abcdef01234567',
    '123e4567-e89b-12d3-a456-426614174000',
    '1.0.0+20250603070000',
    'ps:1a2b3c4d:0123456789abcdef0123456789abcdef',
    '0.0.0.0 127.0.0.1 255.255.255.0 ::1',
    'window 10:00:00 to 11:30:00',
    'CHG0031234 PRJ-2025-0042 DPIA-2025-014',
    'version 10.0.19041.1',
    '1 048 576 bytes, 99.5% success',
    'Art. 6(1)(f), 9(2)(a), 49(1)(b)',
    'npm install @sigstore/sign, see @octo-org/release-team',
    'uses: actions/checkout@v4',
    'git@github.com:octo-org/widget.git',
    'Signed-off-by dependabot[bot] 49699333+dependabot[bot]@users.noreply.github.com',
    'Jane Doesburg and JaneDoe are other people',
    'user.contact.email essential.service.security',
    'https://example.service-now.com/change_request.do?sysparm_query=number=CHG0031234',
    'GitHub Actions built it',
  ]
  it.each(clean)('leaves %j alone', (value) => {
    expect(scan(value)).toEqual([])
  })

  it('allows role mailboxes only when the record lists them', () => {
    const text = 'Questions to privacy@example.com or dpo@example.com'
    expect(scan(text).map((f) => f.masked)).toEqual(['p***@e***.com', 'd***@e***.com'])
    expect(
      scan(text, { authors: AUTHORS, allowedContacts: ['Privacy@Example.com'] }).map(
        (f) => f.masked,
      ),
    ).toEqual(['d***@e***.com'])
    expect(scan(text, { allowedContacts: ['privacy@example.com', 'dpo@example.com'] })).toEqual([])
    // Listing an author's own address does not make it a role mailbox.
    expect(
      scan('jane.doe@corp.example', {
        authors: AUTHORS,
        allowedContacts: ['jane.doe@corp.example'],
      }),
    ).toEqual([{ path: '/x', kind: 'author-email', masked: 'j***@c***.example' }])
  })

  it('does not search for names the release publishes anyway', () => {
    const authors = [{ name: 'widget', email: '1+widget@users.noreply.github.com' }]
    expect(scan('widget-1.2.3.tgz', { authors })).toHaveLength(1)
    expect(scan('widget-1.2.3.tgz', { authors, publicNames: ['octo-org', 'widget'] })).toEqual([])
  })
})

describe('assertNoPersonalData', () => {
  it('lists every field and kind, masks the values, and names the inputs', () => {
    const record = {
      change: { summary: 'Agreed with anna.schmidt@example.org on +44 20 7946 0958' },
      personalData: { impact: 'low' },
    }
    const fields = [
      ...stringFields(record, '', 'change-record'),
      { path: 'subject:0/name', value: 'dump-10.0.0.7.log', input: 'subject-path' },
    ]
    let error: unknown
    try {
      assertNoPersonalData(fields)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PersonalDataError)
    expect(error).toBeInstanceOf(InputError)
    const { message, findings, input } = error as PersonalDataError
    expect(input).toBe('change-record, subject-path')
    expect(findings).toHaveLength(3)
    expect(message).toContain('/change/summary: e-mail address (a***@e***.org)')
    expect(message).toContain('/change/summary: phone number (+4***58)')
    expect(message).toContain('subject:0/name: IPv4 address (10.***.***.***)')
    for (const secret of ['anna.schmidt', 'example.org', '7946', '10.0.0.7']) {
      expect(message).not.toContain(secret)
    }
  })

  it('scans field names too, without repeating them in the message', () => {
    const attempt = () => assertNoPersonalData(stringFields({ list: { 'jane@example.org': 1 } }))
    expect(attempt).toThrow(/\/list \(name of a field\): e-mail address \(j\*\*\*@e\*\*\*\.org\)/)
    expect(attempt).not.toThrow(/jane@/)
  })

  it('passes clean input', () => {
    expect(() => assertNoPersonalData(stringFields({ a: ['v1.2.3', 'CHG1'] }))).not.toThrow()
  })
})

describe('the guard sees through disguises (issue 14)', () => {
  const disguised: [string, string, Finding['kind'], string][] = [
    ['a fullwidth at sign', 'anna.schmidt\uFF20example.org', 'email', 'a***@e***.org'],
    ['percent-encoding', 'export_anna.schmidt%40example.org', 'email', 'e***@e***.org'],
    ['a zero-width space', 'mail anna.schmidt\u200B@example.org', 'email', 'a***@e***.org'],
    ['a soft hyphen', 'anna.sch\u00ADmidt@example.org', 'email', 'a***@e***.org'],
    ['YAML folding', 'questions to anna.schmidt@ example.org please', 'email', 'a***@e***.org'],
    ['zero padding', 'ip-192.168.001.010.bin', 'ipv4', '192.***.***.***'],
    ['fullwidth digits', 'host \uFF11\uFF10.0.0.7 was slow', 'ipv4', '10.***.***.***'],
  ]
  it.each(disguised)('finds an address behind %s', (_what, value, kind, masked) => {
    expect(scan(value, {})).toEqual([{ path: '/x', kind, masked }])
  })

  it('finds an address folded before the @, besides the mention it looks like', () => {
    expect(scan('questions to anna.schmidt\n  @example.org', {})).toEqual([
      { path: '/x', kind: 'mention', masked: '@e***' },
      { path: '/x', kind: 'email', masked: 'a***@e***.org' },
    ])
  })

  it("finds the triggering actor's login and the approvers' identifiers", () => {
    const people: ScanOptions['people'] = [
      { kind: 'actor-login', identifier: 'seeded-actor-jdoe' },
      { kind: 'approver-id', identifier: 'alice.approver' },
      { kind: 'approver-id', identifier: '@octo-reviewer' },
      { kind: 'approver-id', identifier: 'cab.chair@corp.example' },
      { kind: 'actor-login', identifier: 'github-actions[bot]' },
    ]
    const kinds = (value: string): string[] =>
      scanForPersonalData([{ path: '/x', value }], { people }).map((f) => `${f.kind} ${f.masked}`)
    expect(kinds('built-by-seeded-actor-jdoe.bin')).toEqual(['actor-login s*** a*** j***'])
    expect(kinds('approved by alice.approver')).toEqual(['approver-id a*** a***'])
    expect(kinds('approved by Alice Approver')).toEqual(['approver-id A*** A***'])
    expect(kinds('reviewed by octo-reviewer')).toEqual(['approver-id o*** r***'])
    expect(kinds('ask cab.chair@corp.example')).toEqual(['approver-id c***@c***.example'])
    // An app is no person; a longer word that merely contains a login is another word.
    expect(kinds('built by github-actions[bot]')).toEqual([])
    expect(kinds('alice.approvers-guide.pdf')).toEqual([])
  })

  it('keeps ordinary text clean after normalising it', () => {
    for (const value of ['99.5% success', 'a%20b.txt', 'npm i @sigstore/sign', 'v1.2.3.4']) {
      expect(scan(value, {}), value).toEqual([])
    }
  })
})

describe('the guard is linear in its input (issue 14)', () => {
  /** The work the IPv6 scan and the overlap check did for one value. */
  function steps(value: string): number {
    const stats = { steps: 0 }
    scanForPersonalData([{ path: '/x', value }], { stats })
    return stats.steps
  }

  const hostile: [string, (n: number) => string][] = [
    // Hex digits without a colon: each start of the run used to be tried to its end.
    ['hex digits', (n) => 'a'.repeat(n)],
    ['hex digits with two colons at the end', (n) => `${'f'.repeat(n - 2)}::`],
    ['colon-separated hex groups', (n) => '1:'.repeat(n / 2)],
    // One finding per mention: the overlap check compared each with all before it.
    ['@a mentions', (n) => ' @a'.repeat(n / 3)],
  ]
  it.each(hostile)('does work proportional to the length of %s', (_what, make) => {
    const small = steps(make(96 * 1024))
    const large = steps(make(4 * 96 * 1024))
    expect(small).toBeGreaterThan(0)
    // Four times the input, four times the work (a quadratic scan would do sixteen times).
    expect(large / small).toBeGreaterThan(3.5)
    expect(large / small).toBeLessThan(4.5)
    expect(large).toBeLessThan(8 * 4 * 96 * 1024)
  })

  it('scans a 1 MB tar member name with work bounded by a few passes over it', () => {
    const name = `${'0123456789abcdef:'.repeat(64 * 1024)}`.slice(0, 1024 * 1024)
    const stats = { steps: 0 }
    const findings = scanForPersonalData(
      [{ path: 'manifest/subjects/0/archive/members/0/path', value: name }],
      { stats },
    )
    expect(findings).toEqual([])
    expect(stats.steps).toBeLessThan(4 * name.length)
  })
})
