// Issue 18, finding 4: `verify` crashed with a bare JavaScript error and printed no --json when
// a document in the folder had the wrong shape: an unsigned change-record.json such as
// {"chain":{}}, a validly signed change-record statement without a predicate, a provenance
// statement whose subject is an object. Every such folder must give the full report (human and
// JSON) with the failing check named, and exit 1. Statements are re-signed for real on the
// world's loopback Sigstore stack, so the signature checks pass and the shape is what is tested.
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { PROVENANCE_BUNDLE_FILE, signStatement } from '../../src/sign/index.ts'
import type { SerializedBundle } from '../../src/sign/index.ts'
import type { InTotoStatement } from '../../src/util/types.ts'
import type { CheckId } from '../../src/verify/types.ts'
import { CHANGE_RECORD_BUNDLE_FILE, CHANGE_RECORD_FILE } from '../../src/util/release-files.ts'
import {
  ALL_CHECKS,
  copyRelease,
  detailsOf,
  failingChecks,
  readJson,
  runCli,
  verifyJson,
  useWorldWithRelease,
  writeJson,
} from './support.ts'

const REPO = 'octo-org/octo-repo'
const shared = useWorldWithRelease()

function verifyArgs(): string[] {
  return ['--repo', REPO, '--trusted-root', shared.world().trustedRootPath]
}

/**
 * The folder verified twice, as JSON and as the human report: both complete, exit 1, and
 * exactly `failing` failed. Returns the JSON report.
 */
async function expectReported(dir: string, failing: CheckId[]) {
  const { code, report } = await verifyJson(dir, verifyArgs())
  expect(report.checks.map((c) => c.id)).toEqual(ALL_CHECKS)
  expect(failingChecks(report)).toEqual(failing)
  expect(report.verified).toBe(false)
  expect(code).toBe(1)
  const human = await runCli(['verify', dir, ...verifyArgs()])
  expect(human.stderr).toBe('')
  expect(human.code).toBe(1)
  expect(human.stdout).toMatch(/^✗ /m)
  return report
}

async function statementOf(bundlePath: string): Promise<InTotoStatement> {
  const bundle = await readJson<SerializedBundle>(bundlePath)
  const envelope = (bundle as { dsseEnvelope?: { payload: string } }).dsseEnvelope
  if (!envelope) throw new Error(`${bundlePath} holds no DSSE envelope`)
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as InTotoStatement
}

/** Re-signs the statement in `bundle` after `edit`, for real, as the release workflow. */
async function resign(dir: string, bundle: string, edit: (s: Record<string, unknown>) => void) {
  const statement = (await statementOf(join(dir, bundle))) as unknown as Record<string, unknown>
  edit(statement)
  // signStatement refuses a statement whose subject is no list; a list that serialises as the
  // hostile value passes that guard, and the bytes signed are what a forger would sign.
  const subject = statement['subject']
  if (!Array.isArray(subject) || subject.length === 0) {
    statement['subject'] = Object.assign([{ name: 'x' }], { toJSON: () => subject })
  }
  const signed = await signStatement(statement as unknown as InTotoStatement, {
    endpoints: {
      mode: 'custom',
      fulcioURL: shared.world().sigstore.fulcioURL,
      rekorURL: shared.world().sigstore.rekorURL,
      tsaURL: shared.world().sigstore.tsaURL,
    },
    getIdentityToken: async () => shared.world().sigstore.issueToken({}),
  })
  await writeJson(join(dir, bundle), signed)
}

describe('an unsigned change-record.json of the wrong shape fails the change-record check', () => {
  const records: [string, unknown][] = [
    ['{"chain":{}}', { chain: {} }],
    ['"previous":{}', { chain: { previous: {} } }],
    ['"approvals":"x"', { chain: {}, change: { approvals: 'x' } }],
    ['approvals of the wrong type', { chain: {}, change: { approvals: [null, 5, 'x'] } }],
    ['personalData a string', { chain: { previous: 'x' }, personalData: 'x' }],
    ['release fields retyped', { release: { tag: 5, repository: 5, manifest: 'x' } }],
    ['release a string', { release: 'x', chain: 'x' }],
    ['an array', []],
    ['null', null],
    ['a string', 'x'],
  ]
  test.each(records)('%s', async (_name, record) => {
    const dir = await copyRelease(shared.release())
    await writeJson(join(dir, CHANGE_RECORD_FILE), record)
    const report = await expectReported(dir, ['change-record'])
    expect(detailsOf(report, 'change-record')).toContain(
      'is not the digest the provenance annotates',
    )
  })
})

describe('a validly signed statement of the wrong shape fails its check', () => {
  test('the change-record statement without a predicate', async () => {
    const dir = await copyRelease(shared.release())
    await resign(dir, CHANGE_RECORD_BUNDLE_FILE, (s) => delete s['predicate'])
    const report = await expectReported(dir, ['change-record'])
    expect(detailsOf(report, 'change-record')).toContain(
      `${CHANGE_RECORD_FILE} differs from the record that was signed`,
    )
  })

  test('the change-record statement with retyped subjects', async () => {
    const dir = await copyRelease(shared.release())
    await resign(dir, CHANGE_RECORD_BUNDLE_FILE, (s) => (s['subject'] = [{ name: 5, digest: 'x' }]))
    const report = await expectReported(dir, ['change-record'])
    expect(detailsOf(report, 'change-record')).toContain(
      "the record's statement is not about this release-manifest.json",
    )
  })

  const provenanceEdits: [string, (s: Record<string, unknown>) => void, CheckId[]][] = [
    [
      'subject an object',
      (s) => (s['subject'] = { name: 'release-manifest.json' }),
      ['provenance-subjects', 'change-record'],
    ],
    ['subject a string', (s) => (s['subject'] = 'x'), ['provenance-subjects', 'change-record']],
    [
      'subjects null, numbers, retyped digests and annotations',
      (s) => (s['subject'] = [null, 5, { name: 'a', digest: 'x', annotations: 'y' }]),
      ['provenance-subjects', 'change-record'],
    ],
    [
      'predicate retyped',
      (s) => (s['predicate'] = { buildDefinition: { resolvedDependencies: 'x' } }),
      // Without the release tag and commit there is nothing to compare the tag with.
      ['signer-identity', 'tag-commit'],
    ],
  ]
  test.each(provenanceEdits)('the provenance statement: %s', async (_name, edit, failing) => {
    const dir = await copyRelease(shared.release())
    await resign(dir, PROVENANCE_BUNDLE_FILE, edit)
    const report = await expectReported(dir, failing)
    if (failing.includes('tag-commit')) {
      expect(detailsOf(report, 'tag-commit')).toBe(
        'the provenance names no release tag or no commit',
      )
    }
  })
})
