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
