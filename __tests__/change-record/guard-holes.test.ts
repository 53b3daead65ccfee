// Issue 14, "the guard: close every hole found": each way personal data was observed getting
// into signed, permanent files, run through the action's real entry. Each run must fail before
// anything is signed or written, and the datum must appear nowhere: not in the logs, the outputs,
// the step summary or anything the GitHub fake holds.
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tarArchive } from '../hostile/fuzz-support-tar.ts'
import type { ActionRunResult } from '../support/action-runner.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  CHANGE_RECORD_YAML,
  SLOW_MACHINE_TIMEOUT_MS,
  expectFailed,
  expectNoSigstoreRequest,
  expectNoWriteRequest,
  expectSucceeded,
  inWorld,
  transcript,
  writeArtifacts,
} from '../action/helpers.ts'

/** Everything a run left readable: its output streams, outputs, summary and the fake's state. */
function everythingVisible(world: ReleaseWorld, result: ActionRunResult): string {
  const state = JSON.stringify(world.github.state, (_key, value: unknown) =>
    value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : value,
  )
  return [
    result.stdout,
    result.stderr,
    JSON.stringify(result.outputs),
    result.summary,
    state,
    JSON.stringify(world.github.requests),
  ].join('\n')
}

/** The run was refused naming `input`, with nothing written, signed or disclosed. */
function expectRefusedUnseen(
  world: ReleaseWorld,
  result: ActionRunResult,
  input: string,
  secrets: readonly string[],
): string {
  const message = expectFailed(result)
  expect(message).toMatch(new RegExp(`^Input '[^']*${input}[^']*': personal data would enter`))
  expectNoWriteRequest(world)
  expectNoSigstoreRequest(world)
  const visible = everythingVisible(world, result)
  for (const secret of secrets)
    expect(visible, `${secret}\n${transcript(result)}`).not.toContain(secret)
  return message
}

describe.concurrent(
  'the personal-data guard through the action',
  { timeout: SLOW_MACHINE_TIMEOUT_MS },
  () => {
    it('refuses symbolic link targets inside a directory subject', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write('site/index.html', '<h1>Widget</h1>\n')
        // Dangling links inside the folder: the names they point at exist nowhere else.
        await symlink('jane.doe@example.com', join(world.workspace, 'site/contact'))
        await symlink('+44 20 7946 0958', join(world.workspace, 'site/phone'))
        const result = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*\nsite/' })
        const message = expectRefusedUnseen(world, result, 'subject-path', [
          'jane.doe@example.com',
          'jane.doe',
          '7946 0958',
        ])
        expect(message).toMatch(
          /manifest\/subjects\/\d+\/archive\/members\/\d+\/linkTarget: e-mail address \(j\*\*\*@e\*\*\*\.com\)/,
        )
        expect(message).toMatch(
          /manifest\/subjects\/\d+\/archive\/members\/\d+\/linkTarget: phone number \(\+4\*\*\*58\)/,
        )
      }))

    it('refuses link targets, and the unsafe-member reasons quoting them, in an archive subject', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write(
          'dist/bundle.tar',
          tarArchive([
            { name: 'docs/readme.txt', typeflag: '0', data: Buffer.from('hello\n') },
            { name: 'docs/owner', typeflag: '2', linkname: 'grace.hill@example.com' },
            { name: 'docs/escape', typeflag: '2', linkname: '../../heidi.kay@example.org' },
          ]),
        )
        const result = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' })
        const message = expectRefusedUnseen(world, result, 'subject-path', [
          'grace.hill',
          'heidi.kay',
        ])
        expect(message).toMatch(
          /manifest\/subjects\/\d+\/archive\/members\/1\/linkTarget: e-mail address \(g\*\*\*@e\*\*\*\.com\)/,
        )
        expect(message).toMatch(
          /manifest\/subjects\/\d+\/archive\/flags\/0\/reason: e-mail address \(h\*\*\*@e\*\*\*\.org\)/,
        )
      }))

    it('refuses addresses disguised by a fullwidth @, percent-encoding or a zero-width character', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write('dist/report-anna.schmidt\uFF20example.org.txt', 'a\n')
        await world.write('dist/export-bob.miller%40example.net.csv', 'b\n')
        await world.write('dist/list-carol.jones\u200B@example.com.txt', 'c\n')
        const result = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' })
        const message = expectRefusedUnseen(world, result, 'subject-path', [
          'anna.schmidt',
          'bob.miller',
          'carol.jones',
        ])
        for (const masked of ['r***@e***.txt', 'e***@e***.csv', 'l***@e***.txt']) {
          expect(message).toContain(`e-mail address (${masked})`)
        }
      }))

    it('refuses a zero-padded IPv4 address in a file name', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write('dist/ip-192.168.001.010.bin', 'x\n')
        const result = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' })
        const message = expectRefusedUnseen(world, result, 'subject-path', ['192.168.001.010'])
        expect(message).toMatch(/manifest\/subjects\/\d+\/name: IPv4 address \(192\.\*\*\*/)
      }))

    it("refuses the triggering actor's login in a name and an approver's identifier elsewhere in the record", () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write('dist/built-by-seeded-actor-jdoe.bin', 'x\n')
        await world.write(
          'change.yaml',
          CHANGE_RECORD_YAML.replace(
            'backoutPlan: Redeploy the previous release.',
            'backoutPlan: Redeploy the previous release, as approved by alice.approver.',
          ),
        )
        const result = await world.run(
          { tag: 'v1.0.0', 'subject-path': 'dist/*', 'change-record': 'change.yaml' },
          {
            extraEnv: {
              GITHUB_ACTOR: 'seeded-actor-jdoe',
              GITHUB_TRIGGERING_ACTOR: 'seeded-actor-jdoe',
            },
          },
        )
        const message = expectRefusedUnseen(world, result, 'change-record', [
          'built-by-seeded',
          'approved by alice',
        ])
        expect(message).toMatch(
          /manifest\/subjects\/\d+\/name: the GitHub login of the account that triggered the run \(s\*\*\* a\*\*\* j\*\*\*\)/,
        )
        expect(message).toMatch(/\/change\/backoutPlan: an approver's identifier/)
      }))

    it('refuses an address that YAML folding split across lines', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        await world.write(
          'change.yaml',
          CHANGE_RECORD_YAML.replace(
            'summary: First stable release with export to CSV.',
            'summary: First stable release with export to CSV; questions to dora.lee@\n    example.com please.',
          ),
        )
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          'change-record': 'change.yaml',
        })
        const message = expectRefusedUnseen(world, result, 'change-record', ['dora.lee'])
        expect(message).toContain('/change/summary: e-mail address (d***@e***.com)')
      }))

    it('warns, masked, about personal data in the release name and notes, which stay editable', () =>
      inWorld(async (world) => {
        await writeArtifacts(world)
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': 'dist/*',
          name: 'Widget 1.0 for erin.fox@example.org',
          body: 'Thanks to +44 20 7946 0958 for testing.',
        })
        expectSucceeded(result)
        const warning = result.annotations.find(
          (a) => a.level === 'warning' && a.message.includes('release name or notes'),
        )
        expect(warning?.message, transcript(result)).toContain(
          'name: e-mail address (e***@e***.org)',
        )
        expect(warning?.message).toContain('body: phone number (+4***58)')
        const logs = `${result.stdout}\n${result.stderr}\n${result.summary}`
        expect(logs).not.toContain('erin.fox')
        expect(logs).not.toContain('7946 0958')
      }))
  },
)
