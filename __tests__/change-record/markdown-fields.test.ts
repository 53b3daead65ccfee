// Issue 14: the markdown rendering (release notes, job summary, verify report) shows every field
// a record was given. Each string in the full example, the newsletter record and a warn-mode
// policy block must appear in the rendering, escaped as text or verbatim inside a code span.
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Pseudonymizer,
  buildChangeRecord,
  loadChangeRecordInput,
  renderChangeRecordMarkdown,
  type ChangeRecordInput,
} from '../../src/change-record/index.ts'
import { escapeMarkdown } from '../../src/change-record/markdown.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import {
  FIXTURES,
  FULL_FIXTURE,
  KEY_A,
  MANIFEST_SHA256,
  runContext,
  temporaryFolder,
} from './helpers.ts'

let workspace: { path: string; remove: () => Promise<void> }
beforeAll(async () => {
  workspace = await temporaryFolder()
})
afterAll(async () => {
  await workspace.remove()
})

async function loadFixture(url: URL): Promise<ChangeRecordInput> {
  const name = fileURLToPath(url).split('/').at(-1) as string
  await copyFile(fileURLToPath(url), join(workspace.path, name))
  return (await loadChangeRecordInput(name, workspace.path)) as ChangeRecordInput
}

/** Every string of a JSON value, with its JSON Pointer. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}/${i}`))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => strings(item, `${path}/${key}`))
  }
  return []
}

function missingFrom(markdown: string, record: object): string[] {
  return strings(record)
    .filter(([, value]) => !markdown.includes(escapeMarkdown(value)) && !markdown.includes(value))
    .map(([path]) => path)
}

describe('renderChangeRecordMarkdown', () => {
  it.each([
    ['the full example', FULL_FIXTURE],
    ['the newsletter record', new URL('newsletter.yaml', FIXTURES)],
  ])('shows every field of %s', async (_name, url) => {
    const input = await loadFixture(url)
    const record = buildChangeRecord(
      {
        input,
        run: runContext(workspace.path),
        tag: 'v2.0.0',
        manifestDigest: MANIFEST_SHA256,
        pseudonymizer: Pseudonymizer.fromKey(KEY_A, { domain: '123456' }),
        signing: { transparencyLog: false, ownerType: 'Organization' },
        policy: {
          mode: 'warn',
          findings: [
            { rule: 'dpia', path: '/personalData/dpia/status', message: 'must be completed' },
          ],
        },
      },
      new RecordingReporter(),
    )
    const markdown = renderChangeRecordMarkdown(record)
    expect(
      missingFrom(markdown, {
        change: record.change,
        personalData: record.personalData,
        policy: record.policy,
      }),
    ).toEqual([])
    // What the issue found dropped before, by name.
    for (const shown of [
      'DPA',
      'policy',
      'Backout plan',
      'Test plan',
      'Implementation plan',
      'Contacts',
      'on condition',
    ]) {
      if (url === FULL_FIXTURE || !/plan/.test(shown)) expect(markdown).toContain(shown)
    }
    expect(markdown).toContain('| Identifiers | keyed pseudonyms, key `k1`, domain `123456` |')
  })
})
