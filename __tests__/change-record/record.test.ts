import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHANGE_RECORD_ANNOTATION_KEY,
  CHANGE_RECORD_PREDICATE_TYPE,
  Pseudonymizer,
  assertNoPersonalData,
  buildChangeRecord,
  buildChangeRecordStatement,
  changeRecordAnnotation,
  loadChangeRecordInput,
  renderChangeRecordMarkdown,
  serializeChangeRecord,
  validateChangeRecord,
  type ChangeRecordInput,
} from '../../src/change-record/index.ts'
import { PersonalDataError } from '../../src/change-record/personal-data-guard.ts'
import type { BuildChangeRecordParams } from '../../src/change-record/record.ts'
import { hashBytes } from '../../src/util/digest.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import type { RunContext } from '../../src/util/run-context.ts'
import { FULL_FIXTURE, KEY_A, MANIFEST_SHA256, runContext, temporaryFolder } from './helpers.ts'

let workspace: { path: string; remove: () => Promise<void> }
let input: ChangeRecordInput
let run: RunContext

beforeAll(async () => {
  workspace = await temporaryFolder()
  await copyFile(fileURLToPath(FULL_FIXTURE), join(workspace.path, 'change.yaml'))
  input = (await loadChangeRecordInput('change.yaml', workspace.path)) as ChangeRecordInput
  run = runContext(workspace.path)
})
afterAll(async () => {
  await workspace.remove()
})

const PREVIOUS = {
  tag: 'v1.4.0',
  manifestDigest: `sha256:${'b'.repeat(64)}`,
  changeRecordDigest: 'c'.repeat(64),
}
const COMMITS = { from: 'f'.repeat(40), to: '0123456789abcdef0123456789abcdef01234567', count: 7 }

function params(overrides: Partial<BuildChangeRecordParams> = {}): BuildChangeRecordParams {
  return {
    input,
    run,
    tag: 'v1.5.0',
    manifestDigest: MANIFEST_SHA256,
    previous: PREVIOUS,
    commits: COMMITS,
    pseudonymizer: Pseudonymizer.fromKey(KEY_A, { domain: '123456' }),
    signing: { transparencyLog: true, ownerType: 'Organization' },
    now: new Date('2025-06-03T09:15:00Z'),
    nonce: '00112233445566778899aabbccddeeff',
    ...overrides,
  }
}

describe('buildChangeRecord', () => {
  it('fills the release, chain, run, time and nonce from the run and pseudonymises people', () => {
    const reporter = new RecordingReporter()
    const pseudonymizer = Pseudonymizer.fromKey(KEY_A, { domain: '123456', keyId: '2026-h1' })
    const record = buildChangeRecord(params({ pseudonymizer }), reporter)

    expect(validateChangeRecord(record)).toEqual([])
    expect(record.release).toEqual({
      repository: 'octo-org/widget',
      commit: run.sha,
      tag: 'v1.5.0',
      manifest: { name: 'release-manifest.json', digest: { sha256: MANIFEST_SHA256 } },
    })
    expect(record.chain).toEqual({
      previous: {
        tag: 'v1.4.0',
        manifestDigest: { sha256: 'b'.repeat(64) },
        changeRecordDigest: { sha256: 'c'.repeat(64) },
      },
      commits: COMMITS,
    })
    expect(record.run).toEqual({
      url: 'https://github.com/octo-org/widget/actions/runs/4242/attempts/1',
      workflowRef: run.workflowRef,
      eventName: 'push',
    })
    expect(record.createdAt).toBe('2025-06-03T09:15:00.000Z')
    expect(record.recordVersion).toBe(2)
    expect(record.identifiers).toEqual({
      scheme: 'hmac-sha256-128',
      keyId: '2026-h1',
      domain: '123456',
    })
    expect(record.signing).toEqual({ transparencyLog: true, ownerIsPersonalAccount: false })

    const approvers = record.change?.approvals?.map((a) => a.approver)
    expect(approvers).toEqual([
      pseudonymizer.pseudonym('github-user', 'octo-change-manager'),
      pseudonymizer.pseudonym('approver', 'emp-004211'),
      undefined,
    ])
    expect(JSON.stringify(record)).not.toMatch(/octo-change-manager|EMP-004211/i)
    expect(record.personalData).toEqual(input.personalData)
    expect(reporter.warnings).toEqual([])
  })

  it('releases the commit it is told to, which may differ from the run checkout', () => {
    const commit = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'
    const record = buildChangeRecord(params({ commit }), new RecordingReporter())
    expect(record.release.commit).toBe(commit.toLowerCase())
  })

  it('leaves identifiers out without a key, and says so', () => {
    const reporter = new RecordingReporter()
    const record = buildChangeRecord(params({ pseudonymizer: undefined }), reporter)
    expect(validateChangeRecord(record)).toEqual([])
    expect(record.identifiers).toBe('omitted-no-key')
    expect(record.run).not.toHaveProperty('triggeredBy')
    expect(record.change?.approvals?.every((a) => !('approver' in a))).toBe(true)
    expect(record.change?.approvals?.map((a) => a.role)).toEqual([
      'Change Manager',
      'Data Protection Officer',
      'CAB',
    ])
    expect(reporter.messages.map((m) => m.message).join()).toMatch(/No pseudonymization-key/)
  })

  it('builds a minimal, unassessed record from the run alone, with a warning', () => {
    const reporter = new RecordingReporter()
    const record = buildChangeRecord(
      params({ input: undefined, previous: undefined, commits: undefined }),
      reporter,
    )
    expect(validateChangeRecord(record)).toEqual([])
    expect(record.personalData).toEqual({ impact: 'unassessed' })
    expect(record).not.toHaveProperty('change')
    expect(record.chain).toEqual({ previous: null })
    expect(reporter.warnings).toHaveLength(1)
    expect(reporter.warnings[0]).toMatch(/No change-record file.*unassessed/)
  })

  it('warns that a public log will name a personal account, and records the choice', () => {
    const personal = new RecordingReporter()
    const record = buildChangeRecord(
      params({ signing: { transparencyLog: true, ownerType: 'User' } }),
      personal,
    )
    expect(record.signing).toEqual({ transparencyLog: true, ownerIsPersonalAccount: true })
    expect(personal.warnings).toHaveLength(1)
    expect(personal.warnings[0]).toMatch(
      /permanently and publicly link the personal account 'octo-org'/,
    )

    const privateLog = new RecordingReporter()
    const quiet = buildChangeRecord(
      params({ signing: { transparencyLog: false, ownerType: 'User' } }),
      privateLog,
    )
    expect(quiet.signing).toEqual({ transparencyLog: false, ownerIsPersonalAccount: true })
    expect(privateLog.warnings).toEqual([])

    const unknown = new RecordingReporter()
    expect(
      buildChangeRecord(
        params({ signing: { transparencyLog: true, ownerType: 'unknown' } }),
        unknown,
      ).signing.ownerIsPersonalAccount,
    ).toBeNull()
    expect(unknown.warnings[0]).toMatch(/if 'octo-org' is a personal account/)
  })

  it('gives records of identical content different digests through the nonce', () => {
    const { nonce: _nonce, ...withoutNonce } = params()
    const first = buildChangeRecord(withoutNonce, new RecordingReporter())
    const second = buildChangeRecord(withoutNonce, new RecordingReporter())
    expect(first.nonce).toMatch(/^[0-9a-f]{32}$/)
    expect(first.nonce).not.toBe(second.nonce)
    expect({ ...first, nonce: '' }).toEqual({ ...second, nonce: '' })
    expect(serializeChangeRecord(first).sha256).not.toBe(serializeChangeRecord(second).sha256)
  })

  it('rejects malformed digests and commits from the caller', () => {
    const reporter = new RecordingReporter()
    expect(() => buildChangeRecord(params({ manifestDigest: 'abc' }), reporter)).toThrow(/64 hex/)
    expect(() => buildChangeRecord(params({ commit: 'main' }), reporter)).toThrow(/full commit SHA/)
    expect(() => buildChangeRecord(params({ nonce: 'xyz' }), reporter)).toThrow(/nonce/)
  })
})

describe('serializeChangeRecord', () => {
  it('writes RFC 8785 canonical JSON and its SHA-256', () => {
    const record = buildChangeRecord(params(), new RecordingReporter())
    const { bytes, sha256 } = serializeChangeRecord(record)
    expect(sha256).toBe(hashBytes(bytes))
    const text = bytes.toString('utf8')
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(record)))
    expect(text).not.toMatch(/\n| {2}/)
    // Keys sorted by code unit at every level.
    expect(text.startsWith('{"chain":{"commits":')).toBe(true)
    expect(serializeChangeRecord(JSON.parse(text)).sha256).toBe(sha256)
  })
})

describe('the personal-data guard on a built record', () => {
  it('passes the full example, allowing its role mailboxes', () => {
    const record = buildChangeRecord(params(), new RecordingReporter())
    expect(() =>
      assertNoPersonalData(
        record,
        [{ path: 'manifest/subjects/0/name', value: 'widget-1.5.0.tgz' }],
        { authors: [{ name: 'Jane Doe', email: 'jane.doe@corp.example' }] },
      ),
    ).not.toThrow()
  })

  it('stops a record whose text or artifacts carry personal data', () => {
    const changed = structuredClone(input)
    changed.change.summary = 'Jane Doe tested it from 192.168.4.20'
    changed.personalData.securityMeasures = { added: ['alerts go to soc@example.com'] }
    const record = buildChangeRecord(params({ input: changed }), new RecordingReporter())
    let error: unknown
    try {
      assertNoPersonalData(
        record,
        [{ path: 'manifest/subjects/0/name', value: 'notes-jane_doe.txt' }],
        { authors: [{ name: 'Jane Doe', email: 'jane.doe@corp.example' }] },
      )
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PersonalDataError)
    expect((error as PersonalDataError).input).toBe('change-record, subject-path')
    expect((error as PersonalDataError).findings.map((f) => `${f.path} ${f.kind}`)).toEqual([
      '/change/summary author-name',
      '/change/summary ipv4',
      '/personalData/securityMeasures/added/0 email',
      'manifest/subjects/0/name author-name',
    ])
  })
})

describe('buildChangeRecordStatement', () => {
  it('is an in-toto Statement v1 about the release manifest with the record as predicate', () => {
    const record = buildChangeRecord(params(), new RecordingReporter())
    const statement = buildChangeRecordStatement(record, `sha256:${MANIFEST_SHA256.toUpperCase()}`)
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'release-manifest.json', digest: { sha256: MANIFEST_SHA256 } }],
      predicateType: 'https://immutable-release.dev/change-record/v1',
      predicate: record,
    })
    expect(CHANGE_RECORD_PREDICATE_TYPE).toBe(statement.predicateType)
    expect(() => buildChangeRecordStatement(record, 'd'.repeat(64))).toThrow(/differs/)
  })

  it('gives provenance subjects an annotation pointing at the record by digest', () => {
    const { sha256 } = serializeChangeRecord(buildChangeRecord(params(), new RecordingReporter()))
    expect(changeRecordAnnotation(sha256)).toEqual({
      [CHANGE_RECORD_ANNOTATION_KEY]: { name: 'change-record.json', digest: { sha256 } },
    })
    expect(CHANGE_RECORD_ANNOTATION_KEY).toBe('immutable-release.dev/change-record')
    expect(() => changeRecordAnnotation('not-a-digest')).toThrow(TypeError)
  })
})

describe('renderChangeRecordMarkdown', () => {
  it('shows the change, the personal-data impact, pseudonymous approvals, the chain and digests', () => {
    const record = buildChangeRecord(params(), new RecordingReporter())
    const { sha256 } = serializeChangeRecord(record)
    const markdown = renderChangeRecordMarkdown(record, { recordSha256: sha256 })
    const rows = Object.fromEntries(
      markdown
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
        .map((line) => {
          const [, label, value] = /^\| (.*?) \| (.*) \|$/.exec(line) ?? []
          return [label, value]
        }),
    )
    expect(rows['Change']).toBe(
      'CHG0031234: Move password\\-reset e\\-mails to the new notification service',
    )
    expect(rows['Type']).toBe('normal')
    expect(rows['Risk / impact']).toBe('medium / low')
    expect(rows['Personal-data impact']).toBe('**high**')
    expect(rows['DPIA']).toBe('DPIA\\-2025\\-014 (completed, required)')
    expect(rows['Approvals']).toContain(
      `Change Manager: approved by \`${record.change?.approvals?.[0]?.approver}\``,
    )
    expect(rows['Previous release']).toContain(`v1\\.4\\.0, manifest \`sha256:${'b'.repeat(64)}\``)
    expect(rows['Manifest']).toBe(`\`sha256:${MANIFEST_SHA256}\``)
    expect(rows['change\\-record\\.json']).toBe(`\`sha256:${sha256}\``)
    expect(rows['Commits']).toContain('7')
    expect(rows['Personal-data changes']).toContain('data categories: +`user.contact.email`')
    expect(rows['Personal-data changes']).toContain('−`user.device.ip_address`')
  })

  it('escapes Markdown and HTML in what people wrote', () => {
    const hostile = structuredClone(input)
    hostile.change.title = '<img src=x onerror=alert(1)> | [click](javascript:alert(1)) `x`'
    hostile.change.reason = 'line one\n# heading\n<script>alert(1)</script>'
    hostile.personalData.securityMeasures = { added: ['a | b `c`'] }
    const markdown = renderChangeRecordMarkdown(
      buildChangeRecord(params({ input: hostile }), new RecordingReporter()),
    )
    expect(markdown).not.toMatch(/<img|<script|\]\(javascript/)
    expect(markdown).toContain('&lt;img src=x onerror=alert\\(1\\)&gt; \\| \\[click\\]')
    expect(markdown).toContain('| Reason | line one \\# heading &lt;script&gt;')
    expect(markdown).toContain("`a \\| b 'c'`")
    // Every table row still has exactly two cells.
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(4)
    }
  })

  it('says plainly when no change record file was given', () => {
    const record = buildChangeRecord(
      params({ input: undefined, pseudonymizer: undefined }),
      new RecordingReporter(),
    )
    const markdown = renderChangeRecordMarkdown(record)
    expect(markdown).toContain('| Change | no change record file was given |')
    expect(markdown).toContain('| Personal-data impact | **unassessed** |')
    expect(markdown).toContain('| Identifiers | left out (no pseudonymization key) |')
  })
})
