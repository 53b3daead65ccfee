// `immutable-release verify` as a reviewer uses it: on a release the action published on a
// loopback world, from a downloaded folder or straight from the (fake) GitHub API, in-process
// and as a separate process, with the human report, --json, and the usage errors.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputOptions, Plugin, RollupOptions } from 'rollup'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { canonicalJson } from '../../src/util/canonical-json.ts'
import { hashBytes } from '../../src/util/digest.ts'
import type { VerificationReport } from '../../src/verify/types.ts'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  ALL_CHECKS,
  CLI_SOURCE,
  copyRelease,
  publishRelease,
  readJson,
  removeTemporaryFolders,
  runCli,
  spawnCli,
  temporaryFolder,
  writeJson,
} from './support.ts'
import type { PublishedRelease } from './support.ts'

const REPO = 'octo-org/octo-repo'

/**
 * Bundles only the CLI entry, as `npm run bundle` does, into `outDir` (never dist/: its
 * chunk-cleaning plugin is left out); returns the entry file.
 */
async function bundleCli(outDir: string): Promise<string> {
  const { rollup } = await import('rollup')
  // A computed specifier: the config is plain JavaScript without type declarations.
  const configUrl = new URL('../../rollup.config.js', import.meta.url).href
  const { default: config } = (await import(configUrl)) as {
    default: RollupOptions & { output: OutputOptions }
  }
  const plugins = (config.plugins as Plugin[]).filter((plugin) => plugin.name !== 'clean-chunks')
  const bundle = await rollup({ ...config, input: { cli: CLI_SOURCE }, plugins })
  try {
    await bundle.write({ ...config.output, dir: outDir })
  } finally {
    await bundle.close()
  }
  return join(outDir, 'cli.js')
}
const RELEASE_WORKFLOW = `${REPO}/.github/workflows/release.yml`
const CHECK_TITLES = [
  'Assets match the manifest',
  'Provenance signature verifies',
  'Signer is the expected workflow',
  'Signed subjects match the manifest',
  'Change record is signed, linked and valid',
  'SHA256SUMS agrees with the manifest',
  'Tag still points at the released commit',
]

let world: ReleaseWorld
let release: PublishedRelease
/** A copy of the release with one artifact's byte flipped. */
let tampered: string

beforeAll(async () => {
  world = await startReleaseWorld()
  release = await publishRelease(world, 'v1.0.0')
  tampered = await copyRelease(release)
  const file = join(tampered, 'app-darwin-arm64')
  const bytes = await readFile(file)
  bytes[0] = (bytes[0] as number) ^ 0x80
  await writeFile(file, bytes)
}, 60_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

function verifyArgs(dir: string, ...extra: string[]): string[] {
  return ['verify', dir, '--repo', REPO, '--trusted-root', world.trustedRootPath, ...extra]
}

/** The environment `--release` reads: the fake's API URL and its token. */
function apiEnv(tokenVariable = 'GITHUB_TOKEN'): Record<string, string | undefined> {
  return {
    GITHUB_API_URL: world.github.url,
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined,
    [tokenVariable]: world.github.token,
  }
}

describe('an untouched release', () => {
  test('verifies: exit 0 and a ✓ for every check, in order', async () => {
    const result = await runCli(
      verifyArgs(release.dir, '--signer-workflow', RELEASE_WORKFLOW, '--tag', 'v1.0.0'),
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const rows = result.stdout.split('\n').filter((line) => /^[✓✗] /.test(line))
    expect(rows).toEqual(CHECK_TITLES.map((title) => `✓ ${title}`))
    expect(result.stdout).toContain(`Release ${REPO}@v1.0.0\nManifest ${release.manifestDigest}\n`)
    expect(result.stdout).toContain(
      `    https://github.com/${RELEASE_WORKFLOW}@refs/heads/main\n    tag v1.0.0, commit ${world.sha}\n`,
    )
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'VERIFIED: these are exactly the assets that workflow released.',
    )
  })

  test('the report summarises the change record, with approvers as pseudonyms', async () => {
    const { stdout } = await runCli(verifyArgs(release.dir))
    const section = stdout.slice(stdout.indexOf('\nChange record\n'))
    const value = (label: string): string[] =>
      section
        .split('\n')
        .filter((line) => line.startsWith(`  ${label.padEnd(22)} `))
        .map((line) => line.slice(25))
    expect(value('change')).toEqual([
      'CHG0031234: Move password-reset e-mails to the new notification service',
    ])
    expect(value('reason')[0]).toMatch(/^The SMTP relay is end-of-life \(PRB0041822\)\./)
    expect(value('personal-data impact')).toEqual(['high'])
    expect(value('DPIA reference')).toEqual(['DPIA-2025-014'])
    const pseudonym = 'ps:[0-9a-z-]{1,32}:[0-9a-f]{32}'
    const approvals = value('approval')
    expect(approvals).toHaveLength(3)
    expect(approvals[0]).toMatch(new RegExp(`^Change Manager: approved by ${pseudonym}$`))
    expect(approvals[1]).toMatch(
      new RegExp(`^Data Protection Officer: approved-with-conditions by ${pseudonym}$`),
    )
    // The fixture's CAB approval names nobody.
    expect(approvals[2]).toBe('CAB: approved by (omitted)')
    expect(approvals[0]).not.toBe(approvals[1])
    expect(stdout).not.toContain('octo-change-manager')
    expect(stdout).not.toContain('EMP-004211')
    expect(value('previous release')).toEqual(['(none: first in the chain)'])
    const record = await readFile(join(release.dir, 'change-record.json'))
    expect(value('record digest')).toEqual([`sha256:${hashBytes(record)}`])
  })

  test('--json prints the report as JSON with verified: true', async () => {
    const result = await runCli(verifyArgs(release.dir, '--json'))
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as VerificationReport
    expect(report.verified).toBe(true)
    expect(report.repository).toBe(REPO)
    expect(report.tag).toBe('v1.0.0')
    expect(report.manifestDigest).toBe(release.manifestDigest)
    expect(report.checks.map((c) => [c.id, c.title, c.ok])).toEqual(
      ALL_CHECKS.map((id, i) => [id, CHECK_TITLES[i], true]),
    )
    expect(report.changeRecord).toMatchObject({
      changeId: 'CHG0031234',
      personalDataImpact: 'high',
      dpiaReference: 'DPIA-2025-014',
    })
    expect(report.changeRecord?.approvals.map((a) => a.role)).toEqual([
      'Change Manager',
      'Data Protection Officer',
      'CAB',
    ])
  })

  test('--release OWNER/REPO@TAG downloads through the API and verifies', async () => {
    for (const variable of ['GITHUB_TOKEN', 'GH_TOKEN']) {
      const result = await runCli(
        [
          'verify',
          '--release',
          `${REPO}@v1.0.0`,
          '--trusted-root',
          world.trustedRootPath,
          '--json',
        ],
        apiEnv(variable),
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const report = JSON.parse(result.stdout) as VerificationReport
      expect(report.verified).toBe(true)
      expect(report.manifestDigest).toBe(release.manifestDigest)
      expect(result.stdout).not.toContain(world.github.token)
    }
  })

  test('--release of a tag that has no release fails without a report', async () => {
    const result = await runCli(
      ['verify', '--release', `${REPO}@v9.9.9`, '--trusted-root', world.trustedRootPath],
      apiEnv(),
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^error: .*Not Found/)
    expect(result.stderr).not.toContain(world.github.token)
  })
})

describe('as a separate process', () => {
  test('node src/cli/main.ts: exit 0 from --release, 1 not verified, 2 on a usage error', async () => {
    const [verified, notVerified, usage] = await Promise.all([
      // --release through the CLI's own client, with GITHUB_API_URL and GITHUB_TOKEN.
      spawnCli(
        CLI_SOURCE,
        ['verify', '--release', `${REPO}@v1.0.0`, '--trusted-root', world.trustedRootPath],
        apiEnv(),
      ),
      spawnCli(CLI_SOURCE, verifyArgs(tampered)),
      spawnCli(CLI_SOURCE, ['verify', release.dir, '--trusted-root', world.trustedRootPath]),
    ])
    expect(verified.stderr).toBe('')
    expect(verified.code).toBe(0)
    expect(verified.stdout).toContain(`Release ${REPO}@v1.0.0\nManifest ${release.manifestDigest}`)
    expect(verified.stdout).toContain('VERIFIED: these are exactly the assets')
    expect(verified.stdout).not.toContain(world.github.token)
    expect(notVerified.code).toBe(1)
    expect(notVerified.stdout).toContain('✗ Assets match the manifest')
    expect(notVerified.stdout).toContain('NOT VERIFIED: 1 check(s) failed.')
    expect(usage.code).toBe(2)
    expect(usage.stdout).toBe('')
    expect(usage.stderr).toContain("Input '--repo'")
  })

  // The bundled CLI (`bin` in package.json), built here from the sources with the project's
  // Rollup configuration: the committed dist/cli.js would pass whatever src/ says, and
  // `npm run check-dist` only compares it with a build.
  test('the CLI bundled from these sources: exit 0 verified, 1 not verified', async () => {
    const bundled = await bundleCli(await temporaryFolder('cli-bundle-'))
    const [verified, notVerified] = await Promise.all([
      spawnCli(bundled, verifyArgs(release.dir)),
      spawnCli(bundled, verifyArgs(tampered)),
    ])
    expect(verified.code).toBe(0)
    expect(verified.stdout).toContain('VERIFIED: these are exactly the assets')
    expect(notVerified.code).toBe(1)
    expect(notVerified.stdout).toContain('NOT VERIFIED: 1 check(s) failed.')
  }, 120_000)
})

describe('usage errors exit 2 and print no report', () => {
  const cases: [string, () => Promise<string[]>, RegExp][] = [
    [
      'no folder',
      async () => ['verify', '--repo', REPO, '--trusted-root', world.trustedRootPath],
      /^error: Input 'dir': give exactly one folder/,
    ],
    [
      'a folder that does not exist',
      async () => verifyArgs(join(release.dir, 'no-such-folder')),
      /^error: Input 'dir': '.*no-such-folder' is not a folder\./,
    ],
    [
      'no --repo',
      async () => ['verify', release.dir, '--trusted-root', world.trustedRootPath],
      /^error: Input '--repo': is required/,
    ],
    [
      'a --repo that is not OWNER/REPO',
      async () => [
        'verify',
        release.dir,
        '--repo',
        'octo-org',
        '--trusted-root',
        world.trustedRootPath,
      ],
      /^error: Input '--repo': expected OWNER\/REPO, got 'octo-org'\./,
    ],
    [
      'a --repo given as a URL',
      async () => [
        'verify',
        release.dir,
        '--repo',
        `https://github.com/${REPO}`,
        '--trusted-root',
        world.trustedRootPath,
      ],
      /^error: Input '--repo': expected OWNER\/REPO/,
    ],
    [
      'a --trusted-root that does not exist',
      async () => [
        'verify',
        release.dir,
        '--repo',
        REPO,
        '--trusted-root',
        join(release.dir, 'nope.json'),
      ],
      /^error: Input '--trusted-root': cannot read '.*nope\.json': ENOENT/,
    ],
    [
      'a --trusted-root that is not JSON',
      async () => [
        'verify',
        release.dir,
        '--repo',
        REPO,
        '--trusted-root',
        join(release.dir, 'SHA256SUMS'),
      ],
      /^error: Input '--trusted-root': cannot read '.*SHA256SUMS': /,
    ],
    [
      'a --trusted-root that is another JSON file (a bundle)',
      async () => [
        'verify',
        release.dir,
        '--repo',
        REPO,
        '--trusted-root',
        join(release.dir, 'release-manifest.sigstore.json'),
      ],
      /^error: Input '--trusted-root': '.*release-manifest\.sigstore\.json' is not a Sigstore trusted root/,
    ],
    [
      'a --trusted-root with no certificate authority',
      async () => {
        const path = join(await temporaryFolder('empty-root-'), 'trusted_root.json')
        const root = await readJson(world.trustedRootPath)
        await writeJson(path, { ...root, certificateAuthorities: [] })
        return ['verify', release.dir, '--repo', REPO, '--trusted-root', path]
      },
      /^error: Input '--trusted-root': '.*' lists no certificate authority/,
    ],
    [
      'both a folder and --release',
      async () => [
        'verify',
        release.dir,
        '--release',
        `${REPO}@v1.0.0`,
        '--trusted-root',
        world.trustedRootPath,
      ],
      /^error: Input '--release': give either a folder or --release OWNER\/REPO@TAG, not both\./,
    ],
    [
      'a --release that is not OWNER/REPO@TAG',
      async () => ['verify', '--release', REPO, '--trusted-root', world.trustedRootPath],
      /^error: Input '--release': expected OWNER\/REPO@TAG, got 'octo-org\/octo-repo'\./,
    ],
    [
      'an unknown option',
      async () => [...verifyArgs(release.dir), '--no-such-option'],
      /^error: Unknown option '--no-such-option'/,
    ],
  ]
  test.each(cases)('%s', async (_name, args, message) => {
    const result = await runCli(await args(), apiEnv())
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
  })

  test('--release without a token, where the repository is not public', async () => {
    const result = await runCli(
      ['verify', '--release', `${REPO}@v1.0.0`, '--trusted-root', world.trustedRootPath],
      { ...apiEnv(), GITHUB_TOKEN: undefined, GH_TOKEN: undefined },
    )
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^error: Input '--release': GitHub answered 401 without a token: .*GITHUB_TOKEN or GH_TOKEN/,
    )
  })
})

describe('the report of a release that does not verify', () => {
  test("lists every failing check with every reason, and withholds the edited record's text", async () => {
    const dir = await copyRelease(release)
    // Three independent problems: a changed artifact, an edited record, a wrong SHA256SUMS line.
    const artifact = join(dir, 'app-linux-amd64')
    const bytes = await readFile(artifact)
    bytes[10] = (bytes[10] as number) ^ 0x01
    await writeFile(artifact, bytes)
    const record = await readJson<{ change: { title: string } }>(join(dir, 'change-record.json'))
    record.change.title = 'Nothing to see here'
    await writeFile(join(dir, 'change-record.json'), canonicalJson(record))
    const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8')
    await writeFile(join(dir, 'SHA256SUMS'), `${sums}${'0'.repeat(64)}  app-windows-amd64.exe\n`)

    const deploy = `${REPO}/.github/workflows/deploy.yml`
    const result = await runCli(verifyArgs(dir, '--signer-workflow', deploy))
    expect(result.code).toBe(1)
    const lines = result.stdout.split('\n')
    const rows = lines.filter((line) => /^[✓✗] /.test(line))
    expect(rows).toEqual([
      '✗ Assets match the manifest',
      '✓ Provenance signature verifies',
      '✗ Signer is the expected workflow',
      '✓ Signed subjects match the manifest',
      '✗ Change record is signed, linked and valid',
      '✗ SHA256SUMS agrees with the manifest',
      // Offline, the tag is not looked up: the check passes and says so.
      '✓ Tag still points at the released commit',
    ])
    /** The `- reason` lines under a check's row. */
    const reasons = (title: string): string[] => {
      const start = lines.indexOf(`✗ ${title}`)
      const out: string[] = []
      for (let i = start + 1; lines[i]?.startsWith('    - '); i++)
        out.push((lines[i] as string).slice(6))
      return out
    }
    expect(reasons('Assets match the manifest')).toEqual([
      expect.stringMatching(/^app-linux-amd64: sha256 [0-9a-f]{64} differs from the manifest's/),
    ])
    expect(reasons('Signer is the expected workflow')).toEqual([
      `release-manifest.sigstore.json: build signer https://github.com/${RELEASE_WORKFLOW}@refs/heads/main does not match --signer-workflow ${deploy}`,
    ])
    const recordReasons = reasons('Change record is signed, linked and valid')
    expect(recordReasons).toHaveLength(3)
    expect(recordReasons[0]).toMatch(
      /^change-record\.json sha256 [0-9a-f]{64} is not the digest the provenance annotates/,
    )
    expect(recordReasons[1]).toMatch(
      /^change-record\.sigstore\.json: build signer .* does not match --signer-workflow/,
    )
    expect(recordReasons[2]).toBe('change-record.json differs from the record that was signed')
    expect(reasons('SHA256SUMS agrees with the manifest')).toEqual([
      'SHA256SUMS lists app-windows-amd64.exe, which the manifest does not',
    ])
    const tagRow = lines.indexOf('✓ Tag still points at the released commit')
    expect(lines[tagRow + 1]).toMatch(
      /^ {4}not looked up \(offline\): the provenance names tag v1\.0\.0 at commit [0-9a-f]{40}$/,
    )
    // Issue 18, finding 2: nothing vouches for an edited record, so its text is not shown.
    expect(result.stdout).not.toContain('Nothing to see here')
    expect(result.stdout).toContain(
      '\nChange record\n  not shown: its check failed, so nothing vouches for its text\n',
    )
    expect(lines.at(-2)).toBe('NOT VERIFIED: 4 check(s) failed.')
  })

  test('a folder without a manifest says so', async () => {
    const empty = await temporaryFolder('no-manifest-')
    const result = await runCli(verifyArgs(empty, '--json'))
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as VerificationReport
    expect(report.verified).toBe(false)
    expect(report.checks).toEqual([
      {
        id: 'assets',
        title: 'Assets match the manifest',
        ok: false,
        details: ['release-manifest.json is missing'],
      },
    ])
  })
})
