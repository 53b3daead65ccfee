// Issue 14, pseudonyms: the `pseudonym` command reproduces the pseudonyms of a record the action
// wrote through its real entry, from the key in the environment and the record's domain and key
// id; the account that triggered the run appears in the record neither plainly nor as a pseudonym.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Pseudonymizer } from '../../src/change-record/index.ts'
import { SAMPLE_APPROVER } from '../support/sample-change-record.ts'
import {
  CHANGE_RECORD_YAML,
  PSEUDONYMIZATION_KEY,
  SLOW_MACHINE_TIMEOUT_MS,
  downloadAssets,
  expectSucceeded,
  inWorld,
  onlyRelease,
} from '../action/helpers.ts'
import { KEY_A } from './helpers.ts'

const CLI = resolve(import.meta.dirname, '../../src/cli/main.ts')
const execute = promisify(execFile)
const ACTOR = 'seeded-actor-jdoe'

async function pseudonymCli(
  args: string[],
  key: string | undefined,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env }
  delete env['IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY']
  if (key !== undefined) env['IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY'] = key
  try {
    const { stdout, stderr } = await execute(process.execPath, [CLI, 'pseudonym', ...args], { env })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('immutable-release pseudonym', { timeout: SLOW_MACHINE_TIMEOUT_MS }, () => {
  it("reproduces the approver's pseudonym of a record the action wrote, and records no actor", () =>
    inWorld(async (world) => {
      await world.write('dist/app.bin', 'app\n')
      await world.write('.github/change.yaml', CHANGE_RECORD_YAML)
      const result = await world.run(
        {
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          'change-record': '.github/change.yaml',
          'pseudonymization-key': PSEUDONYMIZATION_KEY,
          'pseudonymization-key-id': '2026-h2',
        },
        { extraEnv: { GITHUB_ACTOR: ACTOR, GITHUB_TRIGGERING_ACTOR: ACTOR } },
      )
      expectSucceeded(result)
      const assets = await downloadAssets(world, onlyRelease(world).id)
      const text = (assets.get('change-record.json') as Buffer).toString('utf8')
      const record = JSON.parse(text) as {
        identifiers: { keyId: string; domain: string }
        run: Record<string, unknown>
        change: { approvals: { approver: string }[] }
      }
      // The domain is the repository's numeric id (GITHUB_REPOSITORY_ID of the runner).
      expect(record.identifiers).toEqual({
        scheme: 'hmac-sha256-128',
        keyId: '2026-h2',
        domain: '123456',
      })
      const cli = await pseudonymCli(
        ['--domain', '123456', '--key-id', '2026-h2', '--type', 'approver', SAMPLE_APPROVER],
        PSEUDONYMIZATION_KEY,
      )
      expect(cli.code, cli.stderr).toBe(0)
      expect(cli.stdout).toBe(`${record.change.approvals[0]?.approver}\n`)

      // No pseudonym of the triggering actor, under any type, in anything published.
      expect(record.run).not.toHaveProperty('triggeredBy')
      const keyed = Pseudonymizer.fromKey(PSEUDONYMIZATION_KEY, {
        keyId: '2026-h2',
        domain: '123456',
      })
      const actorForms = [
        keyed.pseudonym('github-user', ACTOR),
        keyed.pseudonym('email', ACTOR),
        keyed.pseudonym('approver', ACTOR),
        ACTOR,
      ]
      for (const [name, bytes] of assets) {
        for (const form of actorForms) expect(bytes.toString('latin1'), name).not.toContain(form)
      }
      const release = JSON.stringify(onlyRelease(world))
      for (const form of actorForms) expect(release).not.toContain(form)
    }))

  it('prints the pseudonym of a login or address for a domain and key id', async () => {
    const keyed = Pseudonymizer.fromKey(KEY_A, { domain: '123456', keyId: 'k1' })
    const login = await pseudonymCli(['--domain', '123456', '@Octocat'], KEY_A)
    expect(login).toMatchObject({ code: 0, stdout: `${keyed.approver('@octocat')}\n` })
    const email = await pseudonymCli(['--domain', '123456', 'Jane@Example.org'], KEY_A)
    expect(email.stdout).toBe(`${keyed.approver('jane@example.org')}\n`)
    // Another repository, another pseudonym.
    const other = await pseudonymCli(['--domain', '654321', 'octocat'], KEY_A)
    expect(other.stdout).not.toBe(login.stdout)
    expect(other.stdout).toMatch(/^ps:k1:[0-9a-f]{32}\n$/)
  })

  it('reads the key only from the environment, and names what is missing', async () => {
    const missing = await pseudonymCli(['--domain', '123456', 'octocat'], undefined)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY.*is not set/)
    const asArgument = await pseudonymCli(['--domain', '1', '--key', KEY_A, 'octocat'], KEY_A)
    expect(asArgument.code).toBe(2)
    expect(asArgument.stderr).not.toContain(KEY_A)
    const noDomain = await pseudonymCli(['octocat'], KEY_A)
    expect(noDomain.stderr).toMatch(/--domain.*is required/)
    const short = await pseudonymCli(['--domain', '1', 'octocat'], 'too-short')
    expect(short.stderr).toMatch(/IMMUTABLE_RELEASE_PSEUDONYMIZATION_KEY': the key is 9 bytes/)
    expect(short.stderr).not.toContain('too-short')
  })
})
