// Issue 14, policy rules through the action's real entry: `change-record-policy: enforce` (the
// default) refuses a record that breaks a rule before anything is hashed, signed or written;
// `warn` releases, warns, and the signed record says which rules it broke.
import { describe, expect, it } from 'vitest'
import { validateChangeRecord } from '../../src/change-record/index.ts'
import {
  CHANGE_RECORD_YAML,
  SLOW_MACHINE_TIMEOUT_MS,
  downloadAssets,
  expectFailed,
  expectNoSigstoreRequest,
  expectNoWriteRequest,
  expectSucceeded,
  inWorld,
  onlyRelease,
  writeArtifacts,
} from '../action/helpers.ts'

/** The sample record with high impact and health data, and no DPIA or DPO approval. */
const BREAKING = CHANGE_RECORD_YAML.replace(/^ {2}impact: low$/m, '  impact: high').replace(
  '  dpia:\n    required: false\n    status: not-required\n',
  '  specialCategories:\n    added:\n      - category: health-data\n        condition: 9(2)(h)\n',
)

describe.concurrent(
  'the change-record policy through the action',
  { timeout: SLOW_MACHINE_TIMEOUT_MS },
  () => {
    it('refuses a record that breaks rules, listing each, before anything is written', () =>
      inWorld(async (world) => {
        expect(BREAKING).toContain('impact: high')
        await writeArtifacts(world)
        await world.write('change.yaml', BREAKING)
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          'change-record': 'change.yaml',
        })
        const message = expectFailed(result)
        expect(message).toMatch(
          /^Input 'change-record': the change record breaks 3 data-protection rule\(s\)/,
        )
        expect(message).toContain(
          '/personalData/dpia/reference: a DPIA is required because personalData.impact is high, special categories (Art. 9) are added (Art. 35): set its reference [dpia]',
        )
        expect(message).toContain('/personalData/dpia/status:')
        expect(message).toContain('/change/approvals: personalData.impact is high: add an approval')
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
        expect(result.outputs).not.toHaveProperty('manifest-digest')
      }))

    it('releases under warn, with the findings in the signed record and a warning', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write('change.yaml', BREAKING)
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          'change-record': 'change.yaml',
          'change-record-policy': 'warn',
        })
        expectSucceeded(result)
        const warning = result.annotations.find(
          (a) => a.level === 'warning' && a.message.includes('data-protection rule'),
        )
        expect(warning?.message).toMatch(
          /breaks 3 data-protection rule\(s\); releasing anyway because change-record-policy is warn/,
        )
        const assets = await downloadAssets(world, onlyRelease(world).id)
        const record = JSON.parse(
          (assets.get('change-record.json') as Buffer).toString('utf8'),
        ) as {
          policy?: { mode: string; findings: { rule: string; path: string }[] }
        }
        expect(validateChangeRecord(record)).toEqual([])
        expect(record.policy?.mode).toBe('warn')
        expect(record.policy?.findings.map((f) => [f.rule, f.path])).toEqual([
          ['dpia', '/personalData/dpia/reference'],
          ['dpia', '/personalData/dpia/status'],
          ['approvals', '/change/approvals'],
        ])
        expect(onlyRelease(world).body).toContain('Policy findings')
      }))

    it('refuses an unknown policy mode naming the input', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          'change-record-policy': 'lenient',
        })
        expect(expectFailed(result)).toBe(
          "Input 'change-record-policy': expected one of enforce, warn, got 'lenient'.",
        )
        expectNoWriteRequest(world)
      }))
  },
)
