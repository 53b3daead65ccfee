// `immutable-release audit` over a history of ten releases made by the action's real entry,
// through the GitHub API and from a folder, clean and damaged in each way issue 13 lists.
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'
import {
  CLI_SOURCE,
  publishRelease,
  removeTemporaryFolders,
  runCli,
  spawnCli,
  temporaryFolder,
} from '../verify/support.ts'
import type { PublishedRelease } from '../verify/support.ts'
import {
  publishWithdrawal,
  signWithdrawal,
  withdrawalFolder,
} from '../verify/withdrawal-support.ts'
import {
  EXPECTED_REGISTER,
  TAGS,
  addFolder,
  auditFolderOf,
  auditJson,
  changeRecordFor,
  findingKeys,
  insertUnsignedRelease,
  publishHistory,
  releaseOf,
  removeFolder,
  replaceAssetBytes,
  restoreFake,
  snapshotFake,
} from './support.ts'
import type { AuditRun } from './support.ts'

let world: ReleaseWorld
let history: PublishedRelease[]
let clean: ReturnType<typeof snapshotFake>
let scratch: string

beforeAll(async () => {
  world = await startReleaseWorld()
  history = await publishHistory(world)
  clean = snapshotFake(world.github)
  scratch = await temporaryFolder('audit-scratch-')
}, 240_000)

afterAll(async () => {
  await world?.close()
  await removeTemporaryFolders()
})

/** Two releases run at once after the history: both read v1.0.9 as their predecessor. */
let forked: Promise<PublishedRelease[]> | undefined
function forkReleases(): Promise<PublishedRelease[]> {
  forked ??= (async () => {
    restoreFake(world.github, clean)
    // Both drafts wait, so each run has read the history before the other publishes.
    for (const ordinal of [1, 2]) {
      world.github.injectFault({
        method: 'POST',
        route: '/repos/{owner}/{repo}/releases',
        ordinal,
        fault: { delayMs: 2500 },
      })
    }
    const made = await Promise.all(
      ['v1.1.0-a', 'v1.1.0-b'].map((tag, i) =>
        publishRelease(world, tag, { changeRecord: changeRecordFor(20 + i), runId: `30${i}` }),
      ),
    )
    return made
  })()
  return forked
}

const summary = (run: Awaited<ReturnType<typeof auditJson>>) => run.report.summary

describe('audit through the GitHub API', () => {
  beforeEach(() => restoreFake(world.github, clean))

  it('a clean history of ten releases exits 0 with every release verified', async () => {
    const run = await auditJson(world)
    expect(run.report.findings).toEqual([])
    expect(run.code).toBe(0)
    expect(run.report.releases.map((r) => r.tag)).toEqual(TAGS)
    expect(run.report.releases.every((r) => r.status === 'verified')).toBe(true)
    expect(summary(run)).toMatchObject({ releases: 10, verified: 10, unsigned: 0, findings: 0 })
    expect(run.report.notes).toEqual([])
  })

  it('the text report has a line a release, the findings and the summary line', async () => {
    const result = await runCli(
      ['audit', '--repo', 'octo-org/octo-repo', '--trusted-root', world.trustedRootPath],
      { GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token },
    )
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    for (const [i, tag] of TAGS.entries()) {
      const line = lines.find((l) => l.startsWith(`${tag}  `))
      expect(line).toMatch(
        new RegExp(`  verified  sha256:[0-9a-f]{12}  CHG-${1000 + i}  personal data: (none|low)$`),
      )
    }
    expect(result.stdout).toContain('No findings.')
    expect(lines).toContain('10 releases: 10 verified, 0 withdrawn, 0 unsigned, 0 findings')
    // Progress goes to a terminal only; the tests' stderr is none.
    expect(result.stderr).toBe('')
  })

  it('a release deleted in the middle: its successor names a missing predecessor', async () => {
    const { id } = releaseOf(world.github, 'v1.0.4').release
    world.github.state.releases.delete(id)
    const run = await auditJson(world)
    expect(findingKeys(run)).toEqual(['missing-predecessor v1.0.5 v1.0.4'])
    expect(run.code).toBe(1)
    expect(summary(run)).toMatchObject({ releases: 9, verified: 9, findings: 1 })
  })

  it('a tampered record asset: the release does not verify and its successor link is broken', async () => {
    const record = await readFile(join(history[4]!.dir, 'change-record.json'), 'utf8')
    const tampered = Buffer.from(record.replace('Routine release number 4', 'Emergency fix 4'))
    await replaceAssetBytes(world.github, 'v1.0.4', 'change-record.json', tampered, scratch)
    const run = await auditJson(world)
    expect(findingKeys(run)).toEqual(['verification-failed v1.0.4', 'broken-link v1.0.5 v1.0.4'])
    expect(run.report.findings[1]!.message).toMatch(
      /change-record digest .* differs from v1\.0\.4's/,
    )
    expect(run.code).toBe(1)
  })

  it('a moved tag: the tag no longer points at the signed commit', async () => {
    const other = world.github.addCommit({
      message: 'Something else',
      author: { name: 'Someone', email: 'someone@example.com', date: '2026-02-01T00:00:00Z' },
      parents: [world.sha],
    })
    world.github.state.refs.set('refs/tags/v1.0.6', other)
    const run = await auditJson(world)
    expect(findingKeys(run)).toEqual(['tag-moved v1.0.6'])
    expect(run.report.findings[0]!.message).toContain(other)
    expect(run.code).toBe(1)
  })

  it('an unsigned release between two signed ones is a finding', async () => {
    insertUnsignedRelease(world.github, 'v1.0.4', 'v1.0.4-manual')
    const run = await auditJson(world)
    expect(findingKeys(run)).toEqual(['unsigned-release v1.0.4-manual v1.0.4 v1.0.5'])
    expect(run.report.releases.map((r) => r.tag).slice(4, 7)).toEqual([
      'v1.0.4',
      'v1.0.4-manual',
      'v1.0.5',
    ])
    expect(summary(run)).toMatchObject({ releases: 11, verified: 10, unsigned: 1, findings: 1 })
    expect(run.code).toBe(1)
  })

  it('a verified withdrawal marks the release withdrawn and is no finding', async () => {
    const signed = await signWithdrawal(world, history[3]!, { replacement: history[4] })
    await publishWithdrawal(world, 'v1.0.3', signed)
    const run = await auditJson(world)
    expect(run.report.findings).toEqual([])
    expect(run.code).toBe(0)
    const withdrawn = run.report.releases.find((r) => r.tag === 'v1.0.3') as unknown as {
      status: string
      withdrawal: { reason: string; replacement: string }
    }
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.withdrawal).toMatchObject({
      reason: 'security-vulnerability',
      replacement: 'v1.0.4',
    })
    expect(summary(run)).toMatchObject({ releases: 10, verified: 9, withdrawn: 1, findings: 0 })
  })

  it('a withdrawal that does not verify is a finding', async () => {
    const signed = await signWithdrawal(world, history[3]!)
    const forged = Buffer.from(
      signed.recordBytes.toString('utf8').replace('CVE-2026-0001', 'CVE-2026-9999'),
    )
    await publishWithdrawal(world, 'v1.0.3', {
      recordBytes: forged,
      bundleBytes: signed.bundleBytes,
    })
    const run = await auditJson(world)
    expect(findingKeys(run)).toEqual(['withdrawal-invalid v1.0.3 withdrawn/v1.0.3'])
    expect(run.report.findings[0]!.message).toContain('not the record that was signed')
    expect(run.report.releases.find((r) => r.tag === 'v1.0.3')!.status).toBe('verified')
    expect(run.code).toBe(1)
  })

  it('two concurrent releases fork the chain', async () => {
    const [a, b] = await forkReleases()
    const run = await auditJson(world)
    // Whichever was created second is the fork; the first continues the chain.
    const tags = run.report.releases.map((r) => r.tag)
    const [first, second] = tags.slice(10)
    expect([first, second].sort()).toEqual([a!.tag, b!.tag].sort())
    expect(findingKeys(run)).toEqual([`fork ${second} ${first} v1.0.9`])
    expect(run.code).toBe(1)
  }, 60_000)

  it('--since reports from that release on and still checks its link', async () => {
    const run = await auditJson(world, ['--since', 'v1.0.7'])
    expect(run.report.releases.map((r) => r.tag)).toEqual(['v1.0.7', 'v1.0.8', 'v1.0.9'])
    expect(run.code).toBe(0)
    const { id } = releaseOf(world.github, 'v1.0.6').release
    world.github.state.releases.delete(id)
    const damaged = await auditJson(world, ['--since', 'v1.0.7'])
    expect(findingKeys(damaged)).toEqual(['missing-predecessor v1.0.7 v1.0.6'])
  })

  it('--download hashes every asset instead of trusting the listed digests', async () => {
    // GitHub's listed digest of an artifact no longer matches its bytes: only a download sees it.
    const { createHash } = await import('node:crypto')
    const stored = world.github.state.assets.get(
      [...world.github.state.assets.values()].find(
        (a) =>
          a.releaseId === releaseOf(world.github, 'v1.0.2').release.id &&
          a.asset.name === 'app-linux-amd64',
      )!.asset.id,
    )!
    const listed = stored.asset.digest
    await writeFile(join(scratch, 'swapped.bin'), 'swapped bytes')
    stored.file = join(scratch, 'swapped.bin')
    stored.asset.size = 'swapped bytes'.length
    const trusting = await auditJson(world)
    expect(trusting.code).toBe(0)
    const downloading = await auditJson(world, ['--download'])
    expect(findingKeys(downloading)).toEqual(['verification-failed v1.0.2'])
    expect(downloading.report.findings[0]!.message).toContain('app-linux-amd64: sha256')
    expect(listed).not.toBe(`sha256:${createHash('sha256').update('swapped bytes').digest('hex')}`)
  })

  it('makes at most 3 requests per release plus pagination', async () => {
    const before = world.github.requests.length
    await auditJson(world)
    const made = world.github.requests.slice(before).filter((r) => r.route !== undefined)
    // 10 releases; one page of releases and one of tags.
    const byRoute = new Map<string, number>()
    for (const r of made) byRoute.set(r.route!, (byRoute.get(r.route!) ?? 0) + 1)
    expect(Object.fromEntries(byRoute)).toEqual({
      '/repos/{owner}/{repo}/releases': 1,
      '/repos/{owner}/{repo}/tags': 1,
      '/repos/{owner}/{repo}/releases/assets/{asset_id}': 30,
    })
    expect(made.length).toBeLessThanOrEqual(3 * 10 + 2)
    expect(world.github.violations).toEqual([])
  })

  it('usage errors exit 2 and name the input', async () => {
    const noRepo = await runCli(['audit', '--trusted-root', world.trustedRootPath])
    expect(noRepo.code).toBe(2)
    expect(noRepo.stderr).toContain('--repo')
    const badSince = await runCli(
      [
        'audit',
        '--repo',
        'octo-org/octo-repo',
        '--trusted-root',
        world.trustedRootPath,
        '--since',
        'v9',
      ],
      { GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token },
    )
    expect(badSince.code).toBe(2)
    expect(badSince.stderr).toContain("Input '--since': no release is tagged 'v9'")
    const badRegister = await runCli([
      'audit',
      '--repo',
      'octo-org/octo-repo',
      '--trusted-root',
      world.trustedRootPath,
      '--register',
      'out.xlsx',
    ])
    expect(badRegister.code).toBe(2)
    expect(badRegister.stderr).toContain('must end in .csv or .json')
  })
})

describe('the audit command as a user runs it (its own process)', () => {
  beforeEach(() => restoreFake(world.github, clean))

  interface ProcessProbe {
    pid: number
    execArgv: string[]
    newSpaceBytes: number
  }

  /** The CLI entry in a child Node with heap-probe.ts preloaded: its result and the probes. */
  async function spawnProbed(argv: string[], env: Record<string, string> = {}) {
    const out = join(scratch, `probe-${Date.now()}-${Math.random()}.jsonl`)
    const probe = pathToFileURL(join(import.meta.dirname, 'heap-probe.ts')).href
    const result = await spawnCli(CLI_SOURCE, argv, {
      NODE_OPTIONS: `--import=${probe}`,
      HEAP_PROBE_OUT: out,
      GITHUB_API_URL: world.github.url,
      GITHUB_TOKEN: world.github.token,
      ...env,
    })
    const lines = (await readFile(out, 'utf8')).trim().split('\n')
    return { result, probes: lines.map((line) => JSON.parse(line) as ProcessProbe) }
  }

  const auditArgs = () => [
    'audit',
    '--repo',
    'octo-org/octo-repo',
    '--trusted-root',
    world.trustedRootPath,
  ]
  const semiSpaceFlag = (probe: ProcessProbe) =>
    probe.execArgv.filter((arg) => arg.startsWith('--max-semi-space-size='))

  it('runs in Node restarted with a capped young generation (issue 13: < 300 MB RSS)', async () => {
    const { result, probes } = await spawnProbed([...auditArgs(), '--json'])
    expect(result.code).toBe(0)
    expect((JSON.parse(result.stdout) as AuditRun['report']).summary.releases).toBe(10)
    // One process ran to its end: the first was replaced, not left waiting; and no loop.
    expect(probes).toHaveLength(1)
    const flags = semiSpaceFlag(probes[0]!)
    expect(flags).toEqual([expect.stringMatching(/^--max-semi-space-size=\d+$/)])
    const semiSpaceMB = Number(flags[0]!.split('=')[1])
    // V8's own default on a machine this size is 128 MiB of new space: well above this cap.
    expect(semiSpaceMB).toBeGreaterThan(0)
    expect(semiSpaceMB).toBeLessThanOrEqual(16)
    expect(probes[0]!.newSpaceBytes).toBeLessThanOrEqual(2 * semiSpaceMB * 1024 * 1024)
  })

  it('passes exit status and output through: findings 1, usage errors 2', async () => {
    const { id } = releaseOf(world.github, 'v1.0.4').release
    world.github.state.releases.delete(id)
    const damaged = await spawnProbed(auditArgs())
    expect(damaged.result.code).toBe(1)
    expect(damaged.result.stdout).toMatch(/^9 releases: 9 verified, .*, 1 findings?$/m)
    const usage = await spawnProbed([...auditArgs(), '--since', 'v9'])
    expect(usage.result.code).toBe(2)
    expect(usage.result.stderr).toContain("Input '--since': no release is tagged 'v9'")
  })

  it("leaves a user's own semi-space setting alone", async () => {
    const probe = pathToFileURL(join(import.meta.dirname, 'heap-probe.ts')).href
    const { result, probes } = await spawnProbed([...auditArgs(), '--json'], {
      NODE_OPTIONS: `--import=${probe} --max-semi-space-size=32`,
    })
    expect(result.code).toBe(0)
    expect(probes).toHaveLength(1)
    expect(semiSpaceFlag(probes[0]!)).toEqual([])
  })

  it('leaves the stderr pipe it shares blocking, as Node does at exit', async () => {
    // libuv makes a pipe it opens non-blocking, on the file description the shell shares; the
    // replaced process never reaches Node's reset at exit. A 1 MiB write after it then fails.
    const script = `"$0" "$1" audit --repo o/r --register bad.xlsx; dd if=/dev/zero bs=1M count=1 >&2 2>/dev/null; echo "dd=$?" >&2`
    const stderr = await new Promise<string>((done, fail) => {
      execFile(
        'sh',
        ['-c', script, process.execPath, CLI_SOURCE],
        { maxBuffer: 4 * 1024 * 1024, encoding: 'latin1' },
        (error, _stdout, stderrText) => (error ? fail(error) : done(stderrText)),
      )
    })
    expect(stderr).toContain("Input '--register'")
    expect(stderr.slice(-5)).toBe('dd=0\n')
  })

  it('other commands start as before, not restarted', async () => {
    const { result, probes } = await spawnProbed(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('immutable-release audit')
    expect(probes).toHaveLength(1)
    expect(semiSpaceFlag(probes[0]!)).toEqual([])
  })
})

describe('audit of a folder (offline)', () => {
  it('a clean folder exits 0, and says tags were not checked', async () => {
    const root = await auditFolderOf(history)
    const run = await auditJson(world, [root])
    expect(run.report.findings).toEqual([])
    expect(run.code).toBe(0)
    expect(run.report.releases.map((r) => r.tag)).toEqual(TAGS)
    expect(run.report.source).toBe('folder')
    expect(run.report.notes.join(' ')).toContain('Tags were not checked')
  })

  it('a deleted release folder: missing predecessor', async () => {
    const root = await auditFolderOf(history)
    await removeFolder(root, 'v1.0.4')
    const run = await auditJson(world, [root])
    expect(findingKeys(run)).toEqual(['missing-predecessor v1.0.5 v1.0.4'])
    expect(run.code).toBe(1)
  })

  it('a tampered record: not verified, and the successor link is broken', async () => {
    const root = await auditFolderOf(history)
    const file = join(root, 'v1.0.4', 'change-record.json')
    await writeFile(file, (await readFile(file, 'utf8')).replace('number 4', 'number 44'))
    const run = await auditJson(world, [root])
    expect(findingKeys(run)).toEqual(['verification-failed v1.0.4', 'broken-link v1.0.5 v1.0.4'])
    expect(run.code).toBe(1)
  })

  it('an unsigned release folder between signed ones', async () => {
    const root = await auditFolderOf(history)
    await addFolder(root, 'v1.0.4-manual', { 'app.tar.gz': Buffer.from('made by hand') })
    const run = await auditJson(world, [root])
    expect(findingKeys(run)).toEqual(['unsigned-release v1.0.4-manual v1.0.4 v1.0.5'])
    expect(run.code).toBe(1)
  })

  it('a withdrawal folder: verified marks the release; forged is a finding', async () => {
    const root = await auditFolderOf(history)
    const signed = await signWithdrawal(world, history[2]!)
    await withdrawalFolder(signed, join(root, 'withdrawn', 'v1.0.2'))
    const run = await auditJson(world, [root])
    expect(run.report.findings).toEqual([])
    expect(run.report.releases.find((r) => r.tag === 'v1.0.2')!.status).toBe('withdrawn')
    expect(run.code).toBe(0)
    await writeFile(join(root, 'withdrawn', 'v1.0.2', 'withdrawal.json'), '{}')
    const forged = await auditJson(world, [root])
    expect(findingKeys(forged)).toEqual(['withdrawal-invalid v1.0.2 withdrawn/v1.0.2'])
    expect(forged.code).toBe(1)
  })

  it('two concurrent releases fork the chain', async () => {
    const fork = await forkReleases()
    const root = await auditFolderOf([...history, ...fork])
    const run = await auditJson(world, [root])
    const [first, second] = run.report.releases.map((r) => r.tag).slice(10)
    expect(findingKeys(run)).toEqual([`fork ${second} ${first} v1.0.9`])
    expect(run.code).toBe(1)
  }, 60_000)
})

describe('the evidence pack', () => {
  beforeEach(() => restoreFake(world.github, clean))

  it('--register CSV parses with a standard parser and matches the deltas row for row; JSON the same', async () => {
    const { parse } = await import('csv-parse/sync')
    const csvFile = join(scratch, 'register.csv')
    const jsonFile = join(scratch, 'register.json')
    const run = await auditJson(world, ['--register', csvFile])
    expect(run.code).toBe(0)
    const rows = parse(await readFile(csvFile, 'utf8')) as string[][]
    expect(rows).toEqual(EXPECTED_REGISTER)
    await auditJson(world, ['--register', jsonFile])
    const json = JSON.parse(await readFile(jsonFile, 'utf8')) as {
      columns: string[]
      rows: Record<string, string>[]
    }
    expect([json.columns, ...json.rows.map((r) => json.columns.map((c) => r[c]))]).toEqual(
      EXPECTED_REGISTER,
    )
  })

  it('--html opens in headless Chromium offline: no errors, no requests, every finding shown', async () => {
    const { id } = releaseOf(world.github, 'v1.0.4').release
    world.github.state.releases.delete(id)
    insertUnsignedRelease(world.github, 'v1.0.6', 'v1.0.6-<b>manual</b>')
    const htmlFile = join(scratch, 'audit.html')
    const run = await auditJson(world, ['--html', htmlFile])
    expect(run.report.findings.length).toBe(2)
    const page = await openInChromium(htmlFile)
    try {
      expect(page.consoleErrors).toEqual([])
      expect(page.failedRequests).toEqual([])
      expect(page.requests).toEqual([`file://${htmlFile}`])
      expect(page.text).toContain('10 releases: 9 verified, 0 withdrawn, 1 unsigned, 2 findings')
      for (const f of run.report.findings) expect(page.text).toContain(f.message)
      // The tag's markup is shown as text, never parsed.
      expect(page.boldTexts).not.toContain('manual')
    } finally {
      await page.close()
    }
  }, 60_000)
})

const CHROMIUM = '/usr/bin/chromium'

/** Loads a file in headless Chromium with the network off; what the page did and shows. */
async function openInChromium(file: string) {
  const { existsSync } = await import('node:fs')
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `headless Chromium is needed for the HTML report test: install it with 'apt-get install -y chromium' (.ci/run does so when it is missing)`,
    )
  }
  const puppeteer = (await import('puppeteer-core')).default
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  })
  const page = await browser.newPage()
  await page.setOfflineMode(true)
  const consoleErrors: string[] = []
  const failedRequests: string[] = []
  const requests: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  page.on('request', (r) => requests.push(r.url()))
  page.on('requestfailed', (r) => failedRequests.push(r.url()))
  await page.goto(`file://${file}`, { waitUntil: 'load' })
  const text = await page.$eval(
    'body',
    (body) => (body as unknown as { innerText: string }).innerText,
  )
  const boldTexts = await page.$$eval('b', (bs) => bs.map((b) => b.textContent ?? ''))
  const { mkdir } = await import('node:fs/promises')
  const shots = join(import.meta.dirname, '../../.tmp')
  await mkdir(shots, { recursive: true })
  await page.screenshot({ path: join(shots, 'audit-report.png'), fullPage: true })
  return { consoleErrors, failedRequests, requests, text, boldTexts, close: () => browser.close() }
}
