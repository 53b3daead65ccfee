// Issue 14: the record bumps to version 2 (the domain in identifiers, no triggering actor, the
// policy block); verify and audit still read the version 1 records of earlier releases.
import { describe, expect, it } from 'vitest'
import { renderChangeRecordMarkdown, validateChangeRecord } from '../../src/change-record/index.ts'
import type { ChangeRecord } from '../../src/change-record/types.ts'

const PSEUDONYM = `ps:k1:${'0'.repeat(32)}`

/** A record as version 1 of the action wrote it, with the triggering actor's pseudonym. */
function v1Record(): Record<string, unknown> {
  return {
    recordVersion: 1,
    release: {
      repository: 'octo-org/widget',
      commit: 'a'.repeat(40),
      tag: 'v1.0.0',
      manifest: { name: 'release-manifest.json', digest: { sha256: 'b'.repeat(64) } },
    },
    chain: { previous: null },
    run: {
      url: 'https://github.com/octo-org/widget/actions/runs/1/attempts/1',
      workflowRef: 'octo-org/widget/.github/workflows/release.yml@refs/heads/main',
      eventName: 'push',
      triggeredBy: PSEUDONYM,
    },
    createdAt: '2025-06-03T09:15:00.000Z',
    nonce: '0'.repeat(32),
    identifiers: { scheme: 'hmac-sha256-128', keyId: '1a2b3c4d' },
    signing: { transparencyLog: true, ownerIsPersonalAccount: false },
    personalData: { impact: 'low', dpia: { status: 'not-required' } },
  }
}

function v2Record(): Record<string, unknown> {
  const record = v1Record()
  const run = record['run'] as Record<string, unknown>
  delete run['triggeredBy']
  return {
    ...record,
    recordVersion: 2,
    identifiers: { scheme: 'hmac-sha256-128', keyId: 'k1', domain: '123456' },
    personalData: { impact: 'medium' },
    policy: {
      mode: 'warn',
      findings: [{ rule: 'approvals', path: '/change/approvals', message: 'add the DPO' }],
    },
  }
}

describe('validateChangeRecord across record versions', () => {
  it('accepts a version 1 record of an earlier release, and a version 2 record', () => {
    expect(validateChangeRecord(v1Record())).toEqual([])
    expect(validateChangeRecord(v2Record())).toEqual([])
  })

  it('holds each version to its own schema', () => {
    // Version 2 has no triggering actor and needs the domain; version 1 knows neither medium
    // impact nor the policy block.
    const v2WithActor = v2Record()
    ;(v2WithActor['run'] as Record<string, unknown>)['triggeredBy'] = PSEUDONYM
    expect(validateChangeRecord(v2WithActor).map((v) => v.path)).toContain('/run/triggeredBy')
    const v2WithoutDomain = {
      ...v2Record(),
      identifiers: { scheme: 'hmac-sha256-128', keyId: 'k1' },
    }
    expect(validateChangeRecord(v2WithoutDomain)).not.toEqual([])
    const v1WithPolicy = { ...v1Record(), policy: v2Record()['policy'] }
    expect(validateChangeRecord(v1WithPolicy).map((v) => v.path)).toEqual(['/policy'])
    expect(validateChangeRecord({ ...v1Record(), recordVersion: 3 })).not.toEqual([])
  })

  it('renders a version 1 record with its triggering-actor pseudonym', () => {
    const markdown = renderChangeRecordMarkdown(v1Record() as unknown as ChangeRecord)
    expect(markdown).toContain(`| Triggered by | \`${PSEUDONYM}\` |`)
    expect(renderChangeRecordMarkdown(v2Record() as unknown as ChangeRecord)).not.toContain(
      'Triggered by',
    )
  })
})
