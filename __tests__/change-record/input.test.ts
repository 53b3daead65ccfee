import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadChangeRecordInput } from '../../src/change-record/index.ts'
import { MAX_CHANGE_RECORD_BYTES } from '../../src/change-record/input.ts'
import { validateChangeRecordInput, type Violation } from '../../src/change-record/schema.ts'
import { InputError } from '../../src/util/errors.ts'
import { FULL_FIXTURE, temporaryFolder } from './helpers.ts'

type Doc = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function fullDoc(): Promise<Doc> {
  return parse(await readFile(FULL_FIXTURE, 'utf8')) as Doc
}

function minimalDoc(): Doc {
  return {
    change: { id: 'CHG1', title: 'Rotate TLS certificates', reason: 'Expiry', type: 'standard' },
    personalData: { impact: 'none' },
  }
}

function messageAt(violations: Violation[], path: string): string[] {
  return violations.filter((v) => v.path === path).map((v) => v.message)
}

describe('the change record schema', () => {
  it('accepts the full example and a minimal standard change', async () => {
    expect(validateChangeRecordInput(await fullDoc())).toEqual([])
    expect(validateChangeRecordInput(minimalDoc())).toEqual([])
  })

  it('reports every violation with its field path, in one pass', async () => {
    const doc = await fullDoc()
    doc.change.type = 'urgent'
    doc.change.risk = 'extreme'
    doc.change.ticketUrl = 'http://tickets.example.com/CHG1'
    doc.change.schedule.plannedStart = 'next tuesday'
    doc.change.approvals[0].decision = 'maybe'
    doc.change.colour = 'blue'
    delete doc.change.title
    doc.personalData.role = 'owner'
    doc.personalData.dataCategories.added.push('User.Contact')
    doc.personalData.purposes.added.push('advertising.targeted')
    doc.personalData.dataSubjects.added.push('robot')
    doc.personalData.lawfulBasis.added.push({ basis: '6(1)(g)' })
    doc.personalData.specialCategories = { added: [{ category: 'health-data', condition: '9(3)' }] }
    doc.personalData.transfers.added.push({ country: 'usa', mechanism: 'handshake' })
    doc.personalData.retention.added.push({ period: '30 days' })
    doc.personalData.roleContacts.push({ role: 'DPO', email: 'not-an-address' })

    const violations = validateChangeRecordInput(doc)
    const expected: [string, RegExp][] = [
      ['/change/type', /must be one of standard, normal, emergency/],
      ['/change/risk', /must be one of low, medium, high/],
      ['/change/ticketUrl', /https:\/\//],
      ['/change/schedule/plannedStart', /RFC 3339 date-time/],
      ['/change/approvals/0/decision', /must be one of approved, rejected/],
      ['/change/colour', /not a known field/],
      ['/change/title', /is required/],
      ['/personalData/role', /controller, processor/],
      ['/personalData/dataCategories/added/2', /fideslang key/],
      ['/personalData/dataCategories/added/2', /data category root: system, user/],
      ['/personalData/purposes/added/2', /data use root: analytics/],
      ['/personalData/dataSubjects/added/1', /fideslang data subject/],
      ['/personalData/lawfulBasis/added/2/basis', /6\(1\)\(a\) to 6\(1\)\(f\)/],
      ['/personalData/specialCategories/added/0/condition', /9\(2\)\(a\) to 9\(2\)\(j\)/],
      ['/personalData/transfers/added/1/country', /ISO 3166-1 alpha-2/],
      ['/personalData/transfers/added/1/mechanism', /adequacy .* scc .* bcr .* derogation-49/],
      ['/personalData/retention/added/2/period', /ISO 8601 duration/],
      ['/personalData/roleContacts/2/email', /e-mail address/],
    ]
    for (const [path, message] of expected) {
      expect(messageAt(violations, path).join(' | '), path).toMatch(message)
    }
    expect(violations).toHaveLength(expected.length)
  })

  it('leaves the DPIA and derogation rules to the policy, which can warn instead (issue 14)', async () => {
    const doc = await fullDoc()
    delete doc.personalData.dpia
    doc.personalData.transfers = { added: [{ country: 'BR', mechanism: 'derogation' }] }
    expect(validateChangeRecordInput(doc)).toEqual([])
  })

  it('requires approvals for normal and emergency changes', () => {
    const doc = minimalDoc()
    doc.change.type = 'emergency'
    expect(validateChangeRecordInput(doc)).toEqual([
      { path: '/change/approvals', message: expect.stringMatching(/must be authorised/) },
    ])
  })

  it('accepts every version 1 file: the v1 spellings of transfers and bases', () => {
    const doc = minimalDoc()
    doc.personalData = {
      impact: 'low',
      transfers: {
        added: [
          { country: 'BR', mechanism: 'sccs', transferImpactAssessment: 'TIA-1' },
          { country: 'IN', mechanism: 'bcrs' },
          { country: 'CN', mechanism: 'derogation', derogation: '49(1)(a)' },
        ],
      },
      retention: { added: [{ period: 'P30D' }] },
      lawfulBasis: { added: [{ basis: '6(1)(a)' }] },
    }
    expect(validateChangeRecordInput(doc)).toEqual([])
  })

  it('refuses impact none for a change that adds personal data', () => {
    const doc = minimalDoc()
    doc.personalData.dataCategories = { added: ['user.contact.email'] }
    expect(validateChangeRecordInput(doc)).toEqual([
      {
        path: '/personalData',
        message: expect.stringMatching(/impact is none, yet the change adds/),
      },
    ])
  })

  it('rejects fields the run fills in, and the unassessed impact only the action may set', () => {
    const doc: Doc = { ...minimalDoc(), nonce: '00', manifestDigest: 'abc', chain: {} }
    doc.personalData.impact = 'unassessed'
    const violations = validateChangeRecordInput(doc)
    for (const path of ['/nonce', '/manifestDigest', '/chain']) {
      expect(messageAt(violations, path)).toEqual([
        'is filled in from the workflow run and must not be set in the change record file',
      ])
    }
    expect(messageAt(violations, '/personalData/impact').join()).toMatch(/only set by the action/)
  })
})

describe('loadChangeRecordInput', () => {
  let workspace: { path: string; remove: () => Promise<void> }
  beforeEach(async () => {
    workspace = await temporaryFolder()
  })
  afterEach(async () => {
    await workspace.remove()
  })

  async function loadError(path: string): Promise<InputError> {
    const error = await loadChangeRecordInput(path, workspace.path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('change-record')
    return error as InputError
  }

  it('returns nothing when no file is named', async () => {
    expect(await loadChangeRecordInput(undefined, workspace.path)).toBeUndefined()
    expect(await loadChangeRecordInput('  ', workspace.path)).toBeUndefined()
  })

  it('loads the YAML example and the same record written as JSON', async () => {
    await mkdir(join(workspace.path, '.github'))
    await copyFile(fileURLToPath(FULL_FIXTURE), join(workspace.path, '.github/change.yaml'))
    const fromYaml = await loadChangeRecordInput('.github/change.yaml', workspace.path)
    expect(fromYaml?.change.id).toBe('CHG0031234')
    expect(fromYaml).not.toHaveProperty('$schema')
    await writeFile(join(workspace.path, 'change.json'), JSON.stringify(fromYaml, null, 2))
    expect(await loadChangeRecordInput('change.json', workspace.path)).toEqual(fromYaml)
  })

  it('reports all violations in one InputError naming the file', async () => {
    const doc = minimalDoc()
    doc.change.type = 'urgent'
    doc.personalData.impact = 'high'
    await writeFile(join(workspace.path, 'bad.json'), JSON.stringify(doc))
    const error = await loadError('bad.json')
    expect(error.message).toContain('bad.json is not a valid change record')
    expect(error.message).toContain('/change/type: must be one of standard, normal, emergency')
    expect(error.message).toContain('(schemas/change-record.v2.json)')
  })

  it('keeps the file inside the workspace, symlinks included', async () => {
    const outside = await temporaryFolder()
    try {
      await writeFile(join(outside.path, 'record.yaml'), 'change: {}\n')
      await symlink(join(outside.path, 'record.yaml'), join(workspace.path, 'link.yaml'))
      expect((await loadError('../record.yaml')).message).toMatch(/does not exist|outside/)
      expect((await loadError(join(outside.path, 'record.yaml'))).message).toMatch(
        /outside the workspace/,
      )
      expect((await loadError('link.yaml')).message).toMatch(/outside the workspace/)
      expect((await loadError('missing.yaml')).message).toMatch(/does not exist/)
      await mkdir(join(workspace.path, 'folder'))
      expect((await loadError('folder')).message).toMatch(/not a regular file/)
    } finally {
      await outside.remove()
    }
  })

  it('rejects a YAML alias bomb without expanding it', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`)
    }
    await writeFile(join(workspace.path, 'bomb.yaml'), lines.join('\n'))
    const started = Date.now()
    expect((await loadError('bomb.yaml')).message).toMatch(/expands YAML aliases too much/)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('rejects oversized, deeply nested, multi-document and non-JSON YAML', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['huge.yaml', `summary: "${'x'.repeat(MAX_CHANGE_RECORD_BYTES)}"\n`, /at most 262144 bytes/],
      ['deep.yaml', `a: ${'['.repeat(100)}${']'.repeat(100)}\n`, /nested more than 32 levels/],
      [
        'stack.yaml',
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
        /could not be parsed|not valid YAML/,
      ],
      ['two.yaml', 'a: 1\n---\nb: 2\n', /exactly one YAML document; it holds 2/],
      ['empty.yaml', '# nothing\n', /exactly one YAML document; it holds 0/],
      ['dup.yaml', 'a: 1\na: 2\n', /Map keys must be unique/],
      ['binary.yaml', 'a: !!binary aGVsbG8=\n', /Unresolved tag/],
      ['custom.yaml', 'a: !js/function "() => 1"\n', /Unresolved tag/],
      ['nan.yaml', 'a: .nan\n', /not a finite number/],
      ['key.yaml', '? [a, b]\n: 1\n', /keys must be strings/],
      ['latin1.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]), /not UTF-8 text/],
    ]
    for (const [name, content, message] of cases) {
      await writeFile(join(workspace.path, name), content)
      expect((await loadError(name)).message, name).toMatch(message)
    }
    // Nothing but the test's own files: loading writes nothing.
    expect((await readdir(workspace.path)).sort()).toEqual(cases.map(([name]) => name).sort())
  })
})
