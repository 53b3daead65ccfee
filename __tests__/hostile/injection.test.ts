// Issue 18, finding 2: workflow-command injection. A GitHub runner obeys any line of a step's
// output that starts with `::` (after leading whitespace). Three paths put text nobody here
// controls on such a line: a GitHub API error message, the `fulcio-url` input, and the text of a
// change record that verify printed whether or not it was signed. Each runs for real: the
// action as a runner starts it, and the CLI on a downloaded release.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadTrustedRoot } from '../../src/cli/verify-command.ts'
import { canonicalJson } from '../../src/util/canonical-json.ts'
import { verifyReleaseDirectory } from '../../src/verify/index.ts'
import { commandLines, unintendedCommands } from '../support/action-runner.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  CHANGE_RECORD_FIXTURE,
  copyRelease,
  failingChecks,
  publishRelease,
  removeTemporaryFolders,
  verifyJson,
  verifyText,
} from '../verify/support.ts'
import type { PublishedRelease } from '../verify/support.ts'

const REPO = 'octo-org/octo-repo'
const UPLOAD = 'POST /repos/{owner}/{repo}/releases/{release_id}/assets'
/** What the hostile reviewer put into GitHub's error message and the change record. */
const PAYLOAD = '\n::warning title=INJECTED::x\n::add-mask::octo\n::stop-commands::tok'

/** The lines of an action run's output the runner would obey that the code did not mean. */
function injected(output: string): string[] {
  return unintendedCommands(output, [world.github.token])
}

let world: ReleaseWorld

beforeAll(async () => {
  world = await startReleaseWorld()
}, 60_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

describe('the action (a separate process, as the runner starts it)', () => {
  test('a GitHub API error message is logged as one neutral line', async () => {
    await world.write('dist/app.bin', 'the artifact')
    world.github.injectFault({
      method: 'POST',
      route: UPLOAD,
      fault: { status: 502, body: { message: PAYLOAD } },
    })
    const result = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/app.bin' })
    expect(world.github.requests.some((r) => r.faulted)).toBe(true)
    expect(result.exitCode).toBe(0)
    expect(injected(result.stdout)).toEqual([])
    expect(injected(result.stderr)).toEqual([])
    // The message is there, escaped as command data is: the retry line was really written.
    expect(result.stdout).toContain('%0A::warning title=INJECTED::x%0A::add-mask::octo')
  }, 60_000)

  test('a fulcio-url with a line break is refused by name, and never logged raw', async () => {
    await world.write('dist/app.bin', 'the artifact')
    const result = await world.run({
      tag: 'v2.0.0',
      'subject-path': 'dist/app.bin',
      'fulcio-url': `${world.sigstore.fulcioURL}/\n::add-mask::octo`,
    })
    expect(result.exitCode).toBe(1)
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message)
    expect(errors).toEqual([expect.stringMatching(/fulcio-url.*one http\(s\) URL on one line/s)])
    expect(injected(result.stdout)).toEqual([])
  }, 60_000)
})

describe('verify (the CLI on a downloaded release)', () => {
  let release: PublishedRelease

  beforeAll(async () => {
    release = await publishRelease(world, 'v3.0.0')
  }, 60_000)

  /** The release with its change record's text rewritten and its bundle removed. */
  async function unsignedRecordCopy(): Promise<string> {
    const dir = await copyRelease(release)
    const file = join(dir, 'change-record.json')
    const record = JSON.parse(await readFile(file, 'utf8')) as {
      change: { title: string; reason: string }
    }
    record.change.title = `Nothing to see${PAYLOAD}`
    record.change.reason = `\u001b[2J${PAYLOAD}`
    await writeFile(file, canonicalJson(record))
    await rm(join(dir, 'change-record.sigstore.json'))
    return dir
  }

  test("an unsigned change record's text is not printed, so no command reaches stdout", async () => {
    const dir = await unsignedRecordCopy()
    const result = await verifyText(dir, world.trustedRootPath)
    expect(result.code).toBe(1)
    expect(commandLines(result.stdout)).toEqual([])
    expect(commandLines(result.stderr)).toEqual([])
    expect(result.stdout).not.toContain('Nothing to see')
    expect(result.stdout).not.toContain('\u001b')
    expect(result.stdout).toContain(
      '\nChange record\n  not shown: its check failed, so nothing vouches for its text\n',
    )
  })

  test('--json leaves the unsigned record out of the report', async () => {
    const result = await verifyJson(await unsignedRecordCopy(), [
      '--repo',
      REPO,
      '--trusted-root',
      world.trustedRootPath,
    ])
    expect(failingChecks(result.report)).toEqual(['change-record'])
    expect(result.report.changeRecord).toBeUndefined()
  })

  // Issue 18, item 7: only the CLI withheld it; a program using the library got the text.
  test('the library leaves the unsigned record out of its report too', async () => {
    const dir = await unsignedRecordCopy()
    const report = await verifyReleaseDirectory({
      dir,
      repo: REPO,
      trustedRoot: await loadTrustedRoot(world.trustedRootPath),
    })
    expect(failingChecks(report)).toEqual(['change-record'])
    expect(report.changeRecord).toBeUndefined()
    expect(JSON.stringify(report)).not.toContain('Nothing to see')
    // The signed original still comes with its summary.
    const signed = await verifyReleaseDirectory({
      dir: release.dir,
      repo: REPO,
      trustedRoot: await loadTrustedRoot(world.trustedRootPath),
    })
    expect(signed.verified).toBe(true)
    expect(signed.changeRecord?.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  // Issue 18, item 7: every report line went through command-data escaping, so a `%` in a file
  // name read `%25`. A person reads this report; only a line break or control is written %XX.
  test('a % in a name reads as % in the human report, a line break still as %0A', async () => {
    const dir = await copyRelease(release)
    await writeFile(join(dir, '50%off.bin'), 'extra')
    await writeFile(join(dir, 'two\nlines.bin'), 'extra')
    const result = await verifyText(dir, world.trustedRootPath)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('50%off.bin')
    expect(result.stdout).not.toContain('50%25off.bin')
    expect(result.stdout).toContain('two%0Alines.bin')
    expect(result.stdout).not.toContain('two\nlines.bin')
  })

  test("a signed record's text is printed on one line each, without control characters", async () => {
    const fixture = await readFile(CHANGE_RECORD_FIXTURE, 'utf8')
    // Line breaks and an escape sequence make a valid record that the action signs (`::` would
    // not: the personal-data guard reads it as an IPv6 address).
    const hostile = fixture.replace(
      /^ {2}reason: >-\n(?: {4}.*\n)+/m,
      '  reason: "Routine\\u001b[31m fix\\r\\nsecond line\\u2028third\\tend"\n',
    )
    expect(hostile).not.toBe(fixture)
    const signed = await publishRelease(world, 'v3.1.0', { changeRecord: hostile, runId: '1003' })
    const result = await verifyText(signed.dir, world.trustedRootPath)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      '  reason                 Routine[31m fix second line third end\n',
    )
    // No control character but the line feeds, and no Unicode line separator.
    expect(result.stdout).not.toMatch(/(?!\n)[\p{Cc}\u2028]/u)
  }, 60_000)
})
