/**
 * Audit case of `npm run bench` (issue 13): `immutable-release audit` over 500 releases in the
 * loopback GitHub fake, each made by the release action's own `run()` (in this process, to
 * skip 500 Node start-ups: a real manifest, change record and both bundles each). The audit
 * runs as a user runs it, a separate `node src/cli/main.ts audit` process, without artifact
 * downloads. Judged on wall time (≤ 60 s); also checked: at most 3 GitHub requests per release
 * plus pagination, peak RSS under 300 MB, and no finding. Registered in scripts/bench.ts's CASES.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerEnvironment } from '../__tests__/support/action-runner.ts'
import { runInProcess } from '../__tests__/hostile/support-inprocess.ts'
import { startReleaseWorld } from '../__tests__/support/release-world.ts'
import { REPOSITORY } from '../__tests__/support/release-world.ts'
import type { ReleaseWorld } from '../__tests__/support/release-world.ts'
import { run as runAction } from '../src/action/run.ts'
import type { BenchCase, BenchContext } from './bench.ts'
import { EVENT_PAYLOAD, tail } from './bench.ts'

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const CLI_SOURCE = path.join(ROOT, 'src/cli/main.ts')
const RELEASES = Number(process.env['BENCH_AUDIT_RELEASES'] ?? 500)
const TARGET_SECONDS = 60
const MAX_RSS_MB = 300

/** The runner environment of one in-process release run (as action-runner.ts builds it). */
async function releaseEnv(world: ReleaseWorld, dir: string, i: number) {
  const runnerTemp = path.join(dir, `runner-${i}`)
  await mkdir(runnerTemp, { recursive: true })
  const files = {
    output: path.join(runnerTemp, 'output.txt'),
    summary: path.join(runnerTemp, 'summary.md'),
    event: path.join(runnerTemp, 'event.json'),
  }
  await writeFile(files.output, '')
  await writeFile(files.summary, '')
  await writeFile(files.event, JSON.stringify(EVENT_PAYLOAD))
  const env: Record<string, string> = {
    ...runnerEnvironment({
      workspace: world.workspace,
      repository: REPOSITORY,
      sha: world.sha,
      apiUrl: world.github.url,
      runId: String(5000 + i),
      runAttempt: '1',
      files,
      runnerTemp,
    }),
    ACTIONS_ID_TOKEN_REQUEST_URL: world.sigstore.oidcRequestURL,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.sigstore.oidcRequestToken,
    SOURCE_DATE_EPOCH: '1767225600',
  }
  const inputs: Record<string, string> = {
    'github-token': world.github.token,
    ...world.sigstoreInputs(),
    tag: `v0.${Math.floor(i / 100)}.${i % 100}`,
    'subject-path': 'dist/*',
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return env
}

/** 500 releases made by the action; memoised, so a second audit case could share them. */
async function releaseHistory(ctx: BenchContext): Promise<ReleaseWorld> {
  return ctx.fixture('audit-history', async () => {
    const world = await startReleaseWorld({ github: { validateResponses: false } })
    ctx.cleanup(() => world.close())
    await world.write('dist/app.bin', Buffer.alloc(16 * 1024, 7))
    await world.write('dist/README.txt', 'app\n')
    const dir = path.join(ctx.dir, 'audit-runs')
    for (let i = 0; i < RELEASES; i++) {
      const result = await runInProcess(runAction, await releaseEnv(world, dir, i))
      if (result.exitCode !== 0) {
        throw new Error(`release ${i} failed:\n${tail(result.stdout)}\n${result.errors.join('\n')}`)
      }
    }
    return world
  })
}

/**
 * Runs the CLI in a child process under /usr/bin/time -v when present; stdout and peak RSS.
 * `audit` replaces its own process with Node started again with a young-generation cap
 * (src/cli/main.ts, process.execve): one process, whose maximum RSS the kernel keeps across the
 * exec, so the figure covers both images and there is no parent to add.
 */
function auditProcess(
  world: ReleaseWorld,
): Promise<{ stdout: string; stderr: string; code: number; rssKiB?: number }> {
  const timeTool = existsSync('/usr/bin/time')
  const args = [
    CLI_SOURCE,
    'audit',
    '--repo',
    REPOSITORY,
    '--trusted-root',
    world.trustedRootPath,
    '--json',
  ]
  const command = timeTool ? '/usr/bin/time' : process.execPath
  const argv = timeTool ? ['-v', process.execPath, ...args] : args
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      env: { ...process.env, GITHUB_API_URL: world.github.url, GITHUB_TOKEN: world.github.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]
      resolve({ stdout, stderr, code: code ?? -1, ...(rss ? { rssKiB: Number(rss) } : {}) })
    })
  })
}

const auditCase: BenchCase = {
  id: 'audit-500',
  title: `audit of ${RELEASES} releases through the API (no downloads): ≤ ${TARGET_SECONDS} s, ≤ 3 requests a release + pages, < ${MAX_RSS_MB} MB`,
  target: TARGET_SECONDS,
  unit: 's',
  async run(ctx) {
    const world = await releaseHistory(ctx)
    const first = world.github.requests.length
    const start = performance.now()
    const result = await auditProcess(world)
    const seconds = (performance.now() - start) / 1000
    const report = JSON.parse(result.stdout) as {
      summary: { releases: number; verified: number; findings: number }
    }
    const api = world.github.requests.slice(first).filter((r) => r.route !== undefined)
    const byRoute: Record<string, number> = {}
    for (const r of api)
      byRoute[`${r.method} ${r.route}`] = (byRoute[`${r.method} ${r.route}`] ?? 0) + 1
    const repeated = api.length - new Set(api.map((r) => r.path)).size
    const statuses: Record<string, number> = {}
    for (const r of api)
      statuses[`${r.status}${r.faulted ? ' faulted' : ''}`] =
        (statuses[`${r.status}${r.faulted ? ' faulted' : ''}`] ?? 0) + 1
    // Two lists (releases, tags); the paginator reads one page past the last full one.
    const pages = 2 * (Math.floor(RELEASES / 100) + 1)
    const budget = 3 * RELEASES + pages
    const rssMB = result.rssKiB === undefined ? undefined : result.rssKiB / 1024
    const problems: string[] = []
    if (result.code !== 0 || report.summary.findings !== 0) {
      problems.push(
        `exit ${result.code}, ${report.summary.findings} findings: ${tail(result.stderr)}`,
      )
    }
    if (report.summary.releases !== RELEASES) problems.push(`${report.summary.releases} releases`)
    if (api.length > budget) problems.push(`${api.length} requests > ${budget}`)
    if (rssMB !== undefined && rssMB >= MAX_RSS_MB) problems.push(`peak RSS ${rssMB.toFixed(0)} MB`)
    return {
      ours: seconds,
      // A broken budget fails the case whatever the time.
      value: problems.length > 0 ? Number.POSITIVE_INFINITY : seconds,
      note: `${report.summary.verified}/${report.summary.releases} verified, ${api.length} API requests (budget ${budget}), peak RSS ${rssMB?.toFixed(0) ?? '?'} MB${problems.length > 0 ? `; FAILED: ${problems.join('; ')}` : ''}`,
      details: {
        seconds,
        requests: api.length,
        budget,
        byRoute,
        repeated,
        statuses,
        rssMB,
        summary: report.summary,
      },
    }
  },
}

export const AUDIT_CASES: BenchCase[] = [auditCase]
