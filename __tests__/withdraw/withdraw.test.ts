// Issue 12 through the withdraw sub-action's real entry: three releases made by the release
// action, then one withdrawn. The withdrawal is a signed release of its own, the withdrawn
// release keeps every asset and its tag, shows the withdrawal, and "latest" moves back by
// semantic version (or to the replacement).
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { verifyBundle } from '../../src/sign/verify-bundle.ts'
import {
  BANNER_MARKER,
  WITHDRAWAL_PREDICATE_TYPE,
  validateWithdrawalRecord,
} from '../../src/withdrawal/index.ts'
import type { WithdrawalRecord } from '../../src/withdrawal/index.ts'
import {
  SLOW_MACHINE_TIMEOUT_MS,
  downloadAssets,
  expectSucceeded,
  transcript,
  workflowIdentity,
} from '../action/helpers.ts'
import { latestTag, releaseOfTag, useWithdrawWorld } from './support.ts'
import { pseudonymizerForAction } from '../../src/change-record/index.ts'

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex')

const w = useWithdrawWorld()

/** The withdrawn release as it stood before: its asset records and its tag's target. */
function releaseFacts(tag: string) {
  const stored = releaseOfTag(w.world, tag)
  return {
    assets: w.world.github.assetsOf(stored.release.id).map((a) => ({
      id: a.id,
      name: a.name,
      size: a.size,
      digest: a.digest,
      updated_at: a.updated_at,
    })),
    ref: w.world.github.state.refs.get(`refs/tags/${tag}`),
    immutable: stored.immutable,
  }
}

async function statementOf(bundle: unknown) {
  const payload = (bundle as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
    subject: { name: string; digest: { sha256: string } }[]
    predicateType: string
    predicate: unknown
  }
}

describe('withdrawing the latest of three releases', () => {
  it(
    'publishes a signed withdrawal, marks the release, keeps its assets and tag, and moves latest back by semver',
    async () => {
      expect(latestTag(w.world)).toBe('v1.2.0')
      const before = releaseFacts('v1.2.0')
      const attestationsBefore = w.world.github.state.attestations.length
      const requestsBefore = w.world.github.requests.length
      const result = await w.withdraw({
        tag: 'v1.2.0',
        reason: 'personal-data-breach',
        summary: 'Debug log in the bundle contains customer e-mail addresses.',
        'incident-reference': 'INC-2207',
        'detected-at': '2026-12-01T08:10:00Z',
        'pseudonymization-key': 'e2e-pseudonymization-key-0123456789abcdef',
      })
      expectSucceeded(result)
      const withdrawal = releaseOfTag(w.world, 'withdrawn/v1.2.0')
      expect(withdrawal.release.draft).toBe(false)
      expect(withdrawal.release.prerelease).toBe(true)
      expect(withdrawal.immutable).toBe(true)
      const files = await downloadAssets(w.world, withdrawal.release.id)
      expect([...files.keys()].sort()).toEqual(['withdrawal.json', 'withdrawal.sigstore.json'])

      const recordBytes = files.get('withdrawal.json') as Buffer
      const record = JSON.parse(recordBytes.toString('utf8')) as WithdrawalRecord
      expect(result.outputs['withdrawal-digest']).toBe(`sha256:${sha256(recordBytes)}`)
      expect(result.outputs['withdrawal-url']).toMatch(/\/releases\/tag\/withdrawn%2Fv1\.2\.0$/)
      expect(result.outputs['latest-tag']).toBe('v1.1.0')
      expect(await readFile(result.outputs['withdrawal-bundle-path'] as string)).toEqual(
        files.get('withdrawal.sigstore.json'),
      )
      expect(validateWithdrawalRecord(record)).toEqual([])
      expect(record.withdrawn.tag).toBe('v1.2.0')
      expect(record.breach).toMatchObject({
        awareAt: '2026-12-01T08:10:00Z',
        notificationDeadline: '2026-12-04T08:10:00Z',
        notifiable: 'pending',
        dataSubjectsInformed: 'pending',
      })
      expect(record.incidentReference).toBe('INC-2207')

      // The bundle verifies with @sigstore/verify, signed by the workflow, over the manifest and
      // every artifact of the withdrawn release.
      const bundle = JSON.parse((files.get('withdrawal.sigstore.json') as Buffer).toString('utf8'))
      verifyBundle(bundle, {
        trustedRoot: w.world.sigstore.trustedRoot,
        identity: workflowIdentity(),
      })
      const statement = await statementOf(bundle)
      expect(statement.predicateType).toBe(WITHDRAWAL_PREDICATE_TYPE)
      expect(statement.predicate).toEqual(record)
      const withdrawnFiles = await downloadAssets(
        w.world,
        releaseOfTag(w.world, 'v1.2.0').release.id,
      )
      const manifestBytes = withdrawnFiles.get('release-manifest.json') as Buffer
      expect(record.withdrawn.manifestDigest.sha256).toBe(sha256(manifestBytes))
      expect(record.withdrawn.changeRecordDigest?.sha256).toBe(
        sha256(withdrawnFiles.get('change-record.json') as Buffer),
      )
      const manifest = JSON.parse(manifestBytes.toString('utf8')) as {
        subjects: { name: string; digest: { sha256: string } }[]
      }
      expect(statement.subject).toEqual([
        { name: 'release-manifest.json', digest: { sha256: sha256(manifestBytes) } },
        ...manifest.subjects.map((s) => ({ name: s.name, digest: { sha256: s.digest.sha256 } })),
      ])
      expect(manifest.subjects.length).toBeGreaterThan(0)

      // The withdrawn release: assets and tag untouched, title and notes marked.
      expect(releaseFacts('v1.2.0')).toEqual(before)
      const marked = releaseOfTag(w.world, 'v1.2.0').release
      expect(marked.name).toBe('[WITHDRAWN] v1.2.0')
      expect(marked.body?.startsWith(BANNER_MARKER)).toBe(true)
      expect(marked.body).toContain(result.outputs['withdrawal-digest'])
      expect(marked.body).toContain('Debug log in the bundle contains customer e-mail addresses.')

      // Latest moved back by semantic version (v1.1.0), not by date (v1.0.1 was made later).
      expect(latestTag(w.world)).toBe('v1.1.0')
      const latest = await fetch(`${w.world.github.url}/repos/octo-org/octo-repo/releases/latest`, {
        headers: { authorization: `token ${w.world.github.token}` },
      })
      expect(((await latest.json()) as { tag_name: string }).tag_name).toBe('v1.1.0')
      expect(w.world.github.state.attestations.length).toBe(attestationsBefore + 1)
      expect(result.summary).toContain('2026-12-04T08:10:00Z')
      expect(w.world.github.violations).toEqual([])
      const requests = w.world.github.requests.slice(requestsBefore)
      expect(requests.length, transcript(result)).toBeLessThanOrEqual(40)
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )

  it(
    'makes the replacement the latest when one is given',
    async () => {
      const result = await w.withdraw({
        tag: 'v1.2.0',
        reason: 'security-vulnerability',
        summary: 'CVE-2026-0001: the parser accepts unsigned updates.',
        'replacement-tag': 'v1.0.1',
      })
      expectSucceeded(result)
      expect(result.outputs['latest-tag']).toBe('v1.0.1')
      expect(latestTag(w.world)).toBe('v1.0.1')
      const record = JSON.parse(
        (
          (await downloadAssets(w.world, releaseOfTag(w.world, 'withdrawn/v1.2.0').release.id)).get(
            'withdrawal.json',
          ) as Buffer
        ).toString('utf8'),
      ) as WithdrawalRecord
      expect(record.replacement?.tag).toBe('v1.0.1')
      expect(record.breach).toBeUndefined()
      expect(releaseOfTag(w.world, 'v1.2.0').release.body).toContain('Use [v1.0.1]')
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )

  it(
    'leaves latest alone when the withdrawn release is not the latest',
    async () => {
      const result = await w.withdraw({
        tag: 'v1.0.1',
        reason: 'defect',
        summary: 'Crashes on start-up on ARM.',
      })
      expectSucceeded(result)
      expect(latestTag(w.world)).toBe('v1.2.0')
      expect(result.outputs['latest-tag']).toBe('v1.2.0')
      expect(releaseOfTag(w.world, 'v1.0.1').release.name).toBe('[WITHDRAWN] v1.0.1')
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )

  it(
    'takes the whole withdrawal from a withdrawal-record file, with pseudonymised approvals',
    async () => {
      await w.world.write(
        '.github/withdrawal.yml',
        [
          'tag: v1.2.0',
          'reason: personal-data-breach',
          'summary: Debug log in the bundle contains customer e-mail addresses.',
          'incidentReference: INC-2207',
          'detectedAt: 2026-12-01T08:10:00Z',
          'replacementTag: v1.1.0',
          'breach:',
          '  notifiable: not-required',
          '  justification: Only test accounts were in the log.',
          '  dataSubjectsInformed: not-required',
          'approvals:',
          '  - role: DPO',
          '    decision: approved',
          "    approver: '@privacy-officer'",
        ].join('\n'),
      )
      const result = await w.withdraw({
        'withdrawal-record': '.github/withdrawal.yml',
        'pseudonymization-key': 'e2e-pseudonymization-key-0123456789abcdef',
      })
      expectSucceeded(result)
      const files = await downloadAssets(
        w.world,
        releaseOfTag(w.world, 'withdrawn/v1.2.0').release.id,
      )
      const text = (files.get('withdrawal.json') as Buffer).toString('utf8')
      const record = JSON.parse(text) as WithdrawalRecord
      expect(record.breach).toMatchObject({
        notifiable: 'not-required',
        justification: 'Only test accounts were in the log.',
        notificationDeadline: '2026-12-04T08:10:00Z',
      })
      expect(record.approvals?.[0]?.approver).toMatch(/^ps:[0-9a-z-]+:[0-9a-f]{32}$/)
      // The release action's derivation (domain = the runner's repository id, key id k1), so
      // one person has one pseudonym in change records and withdrawals.
      const releasePseudonymizer = pseudonymizerForAction({
        key: 'e2e-pseudonymization-key-0123456789abcdef',
        keyId: '',
        domain: '',
        repositoryId: '123456',
      })
      expect(record.approvals?.[0]?.approver).toBe(
        releasePseudonymizer?.approver('@privacy-officer'),
      )
      expect(text).not.toContain('privacy-officer')
      expect(record.replacement?.tag).toBe('v1.1.0')
      expect(latestTag(w.world)).toBe('v1.1.0')
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )

  it(
    'leaves latest alone with restore-latest: false',
    async () => {
      const result = await w.withdraw({
        tag: 'v1.2.0',
        reason: 'other',
        summary: 'Superseded.',
        'restore-latest': 'false',
      })
      expectSucceeded(result)
      expect(latestTag(w.world)).toBe('v1.2.0')
      expect(result.outputs['latest-tag']).toBe('v1.2.0')
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )

  it(
    'keeps workflow commands and Markdown in the summary inert (log, banner, summary)',
    async () => {
      // runAction fails the test if any line the action printed is a command it did not mean.
      const result = await w.withdraw({
        tag: 'v1.2.0',
        reason: 'defect',
        summary: 'Broken build.\n::warning title=EVIL::owned <script>alert(1)</script>',
      })
      expectSucceeded(result)
      const body = releaseOfTag(w.world, 'v1.2.0').release.body ?? ''
      expect(body).not.toContain('<script>')
      expect(body).toContain('Broken build. ::warning title=EVIL::owned \\<script\\>')
      expect(result.summary).not.toContain('<script>')
      expect(releaseOfTag(w.world, 'withdrawn/v1.2.0').release.body).not.toContain('<script>')
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )
})
