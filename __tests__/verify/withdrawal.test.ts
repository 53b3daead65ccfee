// `verify` sees withdrawals (issue 12): a verified withdrawal fails the verification with a
// WITHDRAWN report unless --allow-withdrawn; a forged one (another repository's signature, a
// tampered withdrawal.json, a withdrawal of another release) is reported and ignored.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkWithdrawal } from '../../src/withdrawal/index.ts'
import type { VerificationReport } from '../../src/verify/types.ts'
import { WITHDRAWAL_FILE } from '../../src/withdrawal/index.ts'
import { createFakeClient } from '../support/github-fake/index.ts'
import { REPOSITORY } from '../support/release-world.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import { copyRelease, publishRelease, removeTemporaryFolders, runCli } from './support.ts'
import type { PublishedRelease } from './support.ts'
import {
  otherRepositoryClaims,
  publishWithdrawal,
  signWithdrawal,
  withdrawalFolder,
} from './withdrawal-support.ts'
import type { SignedWithdrawal } from './withdrawal-support.ts'

const FORK = 'mallory/octo-repo'

let world: ReleaseWorld
/** Withdrawn through a `withdrawn/v1.0.0` release (and the attestations API), replaced by v1.0.1. */
let withdrawn: PublishedRelease
let replacement: PublishedRelease
/** Has a `withdrawn/v1.0.2` release signed by another repository: a forgery. */
let forgedOnGitHub: PublishedRelease
/** Withdrawn only through the attestations API. */
let attestedOnly: PublishedRelease
let withdrawal: SignedWithdrawal

beforeAll(async () => {
  world = await startReleaseWorld()
  withdrawn = await publishRelease(world, 'v1.0.0')
  replacement = await publishRelease(world, 'v1.0.1')
  forgedOnGitHub = await publishRelease(world, 'v1.0.2')
  attestedOnly = await publishRelease(world, 'v1.0.3')
  withdrawal = await signWithdrawal(world, withdrawn, { replacement })
  await publishWithdrawal(world, 'v1.0.0', withdrawal, { attest: true })
  const forged = await signWithdrawal(world, forgedOnGitHub, {
    claims: otherRepositoryClaims(FORK),
  })
  await publishWithdrawal(world, 'v1.0.2', forged)
  const attested = await signWithdrawal(world, attestedOnly, { reason: 'defect' })
  const client = createFakeClient(world.github)
  await client.request('POST /repos/{owner}/{repo}/attestations', {
    owner: world.github.owner,
    repo: world.github.repo,
    bundle: JSON.parse(attested.bundleBytes.toString('utf8')) as Record<string, unknown>,
  })
}, 120_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

function apiEnv(): Record<string, string | undefined> {
  return { GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token, GH_TOKEN: undefined }
}

function verifyRelease(tag: string, ...extra: string[]) {
  return runCli(
    [
      'verify',
      '--release',
      `${REPOSITORY}@${tag}`,
      '--trusted-root',
      world.trustedRootPath,
      ...extra,
    ],
    apiEnv(),
  )
}

function verifyFolder(dir: string, ...extra: string[]) {
  return runCli([
    'verify',
    dir,
    '--repo',
    REPOSITORY,
    '--trusted-root',
    world.trustedRootPath,
    ...extra,
  ])
}

function parsed(stdout: string): VerificationReport {
  return JSON.parse(stdout) as VerificationReport
}

describe('verify --release', () => {
  test('on the withdrawn release exits 1 and says WITHDRAWN with date, reason, summary and replacement', async () => {
    const result = await verifyRelease('v1.0.0')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(1)
    const out = result.stdout
    // Every check of the assets still passes: it is the withdrawal that fails it.
    expect(out).not.toContain('✗')
    expect(out).toContain('  WITHDRAWN on 2026-12-01T09:00:00Z\n')
    expect(out).toContain('  reason                 security-vulnerability\n')
    expect(out).toContain(
      '  summary                The bundle ships a vulnerable parser (CVE-2026-0001).\n',
    )
    expect(out).toContain(`  replacement            v1.0.1 (${replacement.manifestDigest})\n`)
    expect(out).toContain(`  withdrawal digest      ${withdrawal.digest}\n`)
    expect(out).toMatch(/ {2}found in {15}release withdrawn\/v1\.0\.0 \(/)
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'WITHDRAWN: v1.0.0 was withdrawn on 2026-12-01T09:00:00Z (security-vulnerability); use v1.0.1 instead. The assets verify, but it must not be used (--allow-withdrawn accepts it).',
    )
  })

  test('--json reports the withdrawal once, though found in the release and the attestations API', async () => {
    const result = await verifyRelease('v1.0.0', '--json')
    expect(result.code).toBe(1)
    const report = parsed(result.stdout)
    expect(report.verified).toBe(false)
    expect(report.checks.every((c) => c.ok)).toBe(true)
    expect(report.withdrawal).toMatchObject({
      status: 'withdrawn',
      looked: ['release withdrawn/v1.0.0', 'attestations API'],
      invalid: [],
      unreachable: [],
      allowed: false,
      withdrawal: {
        digest: withdrawal.digest,
        withdrawnAt: '2026-12-01T09:00:00Z',
        reason: 'security-vulnerability',
        incidentReference: 'INC-2207',
        replacement: { tag: 'v1.0.1', manifestDigest: replacement.manifestDigest },
      },
    })
  })

  test('--allow-withdrawn exits 0 and still reports the withdrawal', async () => {
    const result = await verifyRelease('v1.0.0', '--allow-withdrawn')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('  WITHDRAWN on 2026-12-01T09:00:00Z\n')
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'VERIFIED, but WITHDRAWN on 2026-12-01T09:00:00Z (security-vulnerability): accepted with --allow-withdrawn.',
    )
  })

  test('on the replacement exits 0: not withdrawn', async () => {
    const result = await verifyRelease('v1.0.1', '--json')
    expect(result.code).toBe(0)
    const report = parsed(result.stdout)
    expect(report.verified).toBe(true)
    expect(report.withdrawal?.status).toBe('not-withdrawn')
  })

  test('a withdrawal release signed by another repository is reported and ignored', async () => {
    const result = await verifyRelease('v1.0.2')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`  - ignored: a withdrawal in release withdrawn/v1.0.2 (`)
    expect(result.stdout).toContain(
      `does not verify: signed from https://github.com/${FORK}, not https://github.com/${REPOSITORY}`,
    )
    expect(result.stdout).not.toContain('WITHDRAWN')
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'VERIFIED: these are exactly the assets that workflow released.',
    )
  })

  test('a withdrawal stored only with the attestations API counts', async () => {
    const result = await verifyRelease('v1.0.3', '--json')
    expect(result.code).toBe(1)
    expect(parsed(result.stdout).withdrawal).toMatchObject({
      status: 'withdrawn',
      withdrawal: { source: 'attestations API', reason: 'defect' },
    })
  })

  test('--withdrawal-signer-workflow that did not sign it: ignored', async () => {
    const result = await verifyRelease(
      'v1.0.0',
      '--withdrawal-signer-workflow',
      `${REPOSITORY}/.github/workflows/withdraw.yml`,
      '--json',
    )
    expect(result.code).toBe(0)
    const report = parsed(result.stdout)
    expect(report.withdrawal?.status).toBe('not-withdrawn')
    // Once from the release, once from the attestations API.
    expect(report.withdrawal?.invalid.map((i) => i.problem)).toEqual([
      expect.stringContaining('which does not match --withdrawal-signer-workflow'),
      expect.stringContaining('which does not match --withdrawal-signer-workflow'),
    ])
  })
})

describe('folder mode', () => {
  test('without withdrawal files the report says plainly it was not checked, and how to check', async () => {
    const result = await verifyFolder(withdrawn.dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `  not checked: withdrawal status was not checked (offline): no withdrawal.json and withdrawal.sigstore.json were given. To check it, run 'immutable-release verify --release ${REPOSITORY}@v1.0.0'`,
    )
    const json = parsed((await verifyFolder(withdrawn.dir, '--json')).stdout)
    expect(json.withdrawal?.status).toBe('not-checked')
  })

  test('--withdrawal DIR with a verified withdrawal: exit 1, WITHDRAWN', async () => {
    const dir = await withdrawalFolder(withdrawal)
    const result = await verifyFolder(withdrawn.dir, '--withdrawal', dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('  WITHDRAWN on 2026-12-01T09:00:00Z\n')
    // --withdrawal may also name withdrawal.json itself.
    const byFile = await verifyFolder(withdrawn.dir, '--withdrawal', join(dir, WITHDRAWAL_FILE))
    expect(byFile.code).toBe(1)
  })

  test('withdrawal files in the release folder itself count', async () => {
    const dir = await withdrawalFolder(withdrawal, await copyRelease(withdrawn))
    expect((await verifyFolder(dir)).code).toBe(1)
  })

  test('a tampered withdrawal.json is reported and ignored', async () => {
    const record = JSON.parse(withdrawal.recordBytes.toString('utf8')) as Record<string, unknown>
    record['summary'] = 'Nothing to see here.'
    const dir = await withdrawalFolder({
      recordBytes: Buffer.from(JSON.stringify(record)),
      bundleBytes: withdrawal.bundleBytes,
    })
    const result = await verifyFolder(withdrawn.dir, '--withdrawal', dir, '--json')
    expect(result.code).toBe(0)
    const report = parsed(result.stdout)
    expect(report.withdrawal?.status).toBe('not-withdrawn')
    expect(report.withdrawal?.invalid).toEqual([
      { source: dir, problem: 'withdrawal.json is not the record that was signed' },
    ])
  })

  test("another release's genuine withdrawal does not withdraw this one", async () => {
    const dir = await withdrawalFolder(withdrawal)
    const result = await verifyFolder(replacement.dir, '--withdrawal', dir, '--json')
    expect(result.code).toBe(0)
    const problem = parsed(result.stdout).withdrawal?.invalid[0]?.problem ?? ''
    expect(problem).toContain(`no subject of the statement is this release-manifest.json`)
    expect(problem).toContain('the record withdraws tag "v1.0.0"')
  })

  test('--withdrawal naming a folder without the files is a usage error', async () => {
    const result = await verifyFolder(withdrawn.dir, '--withdrawal', replacement.dir)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('--withdrawal')
  })
})

describe('checkWithdrawal', () => {
  const request = () => ({
    recordBytes: withdrawal.recordBytes,
    bundleBytes: withdrawal.bundleBytes,
    repository: REPOSITORY,
    tag: 'v1.0.0',
    manifestDigest: withdrawn.manifestDigest,
    trustedRoot: world.sigstore.trustedRoot,
  })

  test('verifies a genuine withdrawal and hands back the record and its digest', () => {
    const check = checkWithdrawal(request())
    expect(check).toMatchObject({ status: 'verified', digest: withdrawal.digest })
    if (check.status === 'verified') expect(check.record).toEqual(withdrawal.record)
  })

  test('a withdrawal signed for another repository names the record and the signer', async () => {
    const forged = await signWithdrawal(world, withdrawn, {
      claims: otherRepositoryClaims(FORK),
      repository: FORK,
    })
    const check = checkWithdrawal({ ...request(), ...forged })
    expect(check.status).toBe('invalid')
    if (check.status === 'invalid') {
      expect(check.problem).toContain(`signed from https://github.com/${FORK}`)
      expect(check.problem).toContain(`the record is for repository "${FORK}"`)
    }
  })

  test('a bundle that does not verify, and bytes that are not JSON', () => {
    const bundle = JSON.parse(withdrawal.bundleBytes.toString('utf8')) as {
      dsseEnvelope: { payload: string }
    }
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')
    bundle.dsseEnvelope.payload = Buffer.from(payload.replace('v1.0.1', 'v6.6.6')).toString(
      'base64',
    )
    const tampered = checkWithdrawal({
      ...request(),
      bundleBytes: Buffer.from(JSON.stringify(bundle)),
    })
    expect(tampered).toMatchObject({ status: 'invalid' })
    expect(tampered.status === 'invalid' && tampered.problem).toMatch(
      /^withdrawal\.sigstore\.json: /,
    )
    expect(checkWithdrawal({ ...request(), bundleBytes: Buffer.from('{') }).status).toBe('invalid')
  })
})
