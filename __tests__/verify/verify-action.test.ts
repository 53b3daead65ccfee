// The verify action (issue 13), run through its entry as a runner runs it: a separate Node
// process with INPUT_* variables, against the GitHub fake and releases the release action made.
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { VerificationReport } from '../../src/verify/types.ts'
import { runAction } from '../support/action-runner.ts'
import type { ActionRunResult } from '../support/action-runner.ts'
import { REPOSITORY, startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { copyRelease, publishRelease, removeTemporaryFolders } from './support.ts'
import type { PublishedRelease } from './support.ts'
import { publishWithdrawal, signWithdrawal } from './withdrawal-support.ts'

const VERIFY_ACTION_ENTRY = resolve(import.meta.dirname, '../../src/verify-action/main.ts')

let world: ReleaseWorld
let withdrawn: PublishedRelease
let replacement: PublishedRelease

beforeAll(async () => {
  world = await startReleaseWorld()
  withdrawn = await publishRelease(world, 'v2.0.0')
  replacement = await publishRelease(world, 'v2.0.1')
  const withdrawal = await signWithdrawal(world, withdrawn, { replacement })
  await publishWithdrawal(world, 'v2.0.0', withdrawal)
}, 120_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

function runVerifyAction(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<ActionRunResult> {
  return runAction({
    entry: VERIFY_ACTION_ENTRY,
    workspace: world.workspace,
    repository: REPOSITORY,
    sha: world.sha,
    apiUrl: world.github.url,
    inputs: {
      'github-token': world.github.token,
      'trusted-root': world.trustedRootPath,
      ...inputs,
    },
    extraEnv,
  })
}

async function jsonReport(result: ActionRunResult): Promise<VerificationReport> {
  const path = result.outputs['report-path']
  if (!path) throw new Error(`no report-path output:\n${result.stdout}${result.stderr}`)
  return JSON.parse(await readFile(path, 'utf8')) as VerificationReport
}

const errors = (result: ActionRunResult) =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message)

describe('the verify action', () => {
  test('a verified release passes: outputs, JSON report and job summary', async () => {
    const result = await runVerifyAction({ release: `${REPOSITORY}@v2.0.1` })
    expect(errors(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs['verified']).toBe('true')
    expect(result.outputs['manifest-digest']).toBe(replacement.manifestDigest)
    const report = await jsonReport(result)
    expect(report.verified).toBe(true)
    expect(report.withdrawal?.status).toBe('not-withdrawn')
    expect(result.summary).toContain(`## ✅ Verified: ${REPOSITORY}@v2.0.1`)
    expect(result.stdout).toContain(
      'VERIFIED: these are exactly the assets that workflow released.',
    )
  })

  test('the release defaults to the tag that triggered the workflow', async () => {
    const result = await runVerifyAction(
      {},
      { GITHUB_REF: 'refs/tags/v2.0.1', GITHUB_REF_NAME: 'v2.0.1' },
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['manifest-digest']).toBe(replacement.manifestDigest)
  })

  test('tampered assets fail the job', async () => {
    const dir = await copyRelease(replacement)
    await writeFile(join(dir, 'app-linux-amd64'), 'not what was released')
    const result = await runVerifyAction({ path: dir, release: `${REPOSITORY}@v2.0.1` })
    expect(result.exitCode).toBe(1)
    expect(result.outputs['verified']).toBe('false')
    expect(errors(result)).toEqual(['NOT VERIFIED: 1 check(s) failed.'])
    expect((await jsonReport(result)).checks.find((c) => !c.ok)?.id).toBe('assets')
    expect(result.summary).toContain(`## ❌ Not verified: ${REPOSITORY}@v2.0.1`)
  })

  test('a withdrawn release fails the job, naming the replacement', async () => {
    const result = await runVerifyAction({ release: `${REPOSITORY}@v2.0.0` })
    expect(result.exitCode).toBe(1)
    expect(result.outputs['verified']).toBe('false')
    expect(result.outputs['manifest-digest']).toBe(withdrawn.manifestDigest)
    expect(errors(result)).toEqual([
      expect.stringMatching(/^WITHDRAWN: v2\.0\.0 was withdrawn on .*; use v2\.0\.1 instead\./),
    ])
    expect(result.summary).toContain(`## ⛔ Withdrawn: ${REPOSITORY}@v2.0.0`)
    expect((await jsonReport(result)).withdrawal?.status).toBe('withdrawn')
  })

  test('allow-withdrawn: true accepts it, still reporting the withdrawal', async () => {
    const result = await runVerifyAction({
      release: `${REPOSITORY}@v2.0.0`,
      'allow-withdrawn': 'true',
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['verified']).toBe('true')
    expect(result.stdout).toContain('VERIFIED, but WITHDRAWN')
  })

  test('no such release fails the job with a clear error', async () => {
    const result = await runVerifyAction({ release: `${REPOSITORY}@v9.9.9` })
    expect(result.exitCode).toBe(1)
    expect(result.outputs['verified']).toBe('false')
    expect(errors(result)).toEqual([
      `${REPOSITORY} has no published release v9.9.9 (GitHub answered 404 Not Found).`,
    ])
  })

  test('bad inputs are refused by name, before anything is read', async () => {
    const bad = await runVerifyAction({ release: 'not-a-release' })
    expect(bad.exitCode).toBe(1)
    expect(errors(bad)).toEqual([
      "Input 'release': expected OWNER/REPO@TAG (for example octo-org/app@v1.2.0).",
    ])
    const flag = await runVerifyAction({
      release: `${REPOSITORY}@v2.0.1`,
      'allow-withdrawn': 'yes',
    })
    expect(flag.exitCode).toBe(1)
    expect(errors(flag)).toEqual(["Input 'allow-withdrawn': must be true or false."])
    const branch = await runVerifyAction({})
    expect(branch.exitCode).toBe(1)
    expect(errors(branch)[0]).toContain('refs/heads/main, not a tag')
  })
})
