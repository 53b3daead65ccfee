/**
 * Performance benchmark: hashing and packing against the usual command-line tools, many
 * subjects, start-up time of the bundles, and GitHub API requests of a whole release.
 *
 *   node scripts/bench.ts            default cases (8 min at load 5–8, ~2.2 GiB of temp data)
 *   node scripts/bench.ts --large    also the slow cases (a few minutes, ~4.5 GiB, 160k files;
 *                                    the large uploads store ~7 GiB in the fake's folder)
 *   node scripts/bench.ts --json     machine-readable results
 *   node scripts/bench.ts --only=small-files,peak-rss
 *   node scripts/bench.ts --entry=dist   run the action cases on dist/index.js (default: src)
 *
 * Runs on Node 24 straight from the TypeScript sources; the start-up cases need `npm run
 * bundle` first. Generated data lives in a temporary folder that is removed at the end. Add a
 * case by appending to CASES.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { PerformanceObserver } from 'node:perf_hooks'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { ACTION_ENTRY_DIST, ACTION_ENTRY_SOURCE } from '../__tests__/support/action-runner.ts'
import type { RecordedRequest } from '../__tests__/support/github-fake/index.ts'
import { startReleaseWorld } from '../__tests__/support/release-world.ts'
import type { ReleaseWorld } from '../__tests__/support/release-world.ts'
import { buildManifest } from '../src/manifest/index.ts'
import { hashFiles } from '../src/manifest/hash-pool.ts'
import { createReproducibleTarball } from '../src/manifest/tarball.ts'
import { PROCESS_CASES } from './bench-process.ts'
import { WITHDRAW_CASES } from './bench-withdraw.ts'
import { AUDIT_CASES } from './bench-audit.ts'

const execFileAsync = promisify(execFile)
export const MiB = 1024 * 1024
export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

export interface BenchContext {
  /** Temporary folder for this run's data; removed afterwards. */
  dir: string
  large: boolean
  /** The action entry the action cases run: the TypeScript sources or the bundle. */
  actionEntry: string
  /** The CLI the whole-process cases run: dist/cli.js unless --cli=PATH names another. */
  cli: string
  /** Memoised data set-up shared between cases. */
  fixture<T>(key: string, make: () => Promise<T>): Promise<T>
  /** Runs at the end (servers to stop), after every case. */
  cleanup(task: () => Promise<void>): void
}

export interface BenchResult {
  /** Seconds (or the case's own unit) taken by our implementation. */
  ours: number
  /** The same for the reference tool, when there is one. */
  reference?: number
  /** What the target is judged on; defaults to ours / reference. */
  value?: number
  note?: string
  /** Extra measurements for --json (requests by route, sizes ...). */
  details?: Record<string, unknown>
}

export interface BenchCase {
  id: string
  title: string
  /** Only with --large. */
  large?: boolean
  /** Pass when the judged value is at most this. */
  target: number
  /** How the judged value reads: a ratio to the reference, or an absolute unit. */
  unit: 'ratio' | 'MB' | 's' | 'requests'
  run(ctx: BenchContext): Promise<BenchResult>
}

/**
 * CPU time of this thread and time spent in garbage collection while `task` runs: figures a
 * busy machine disturbs less than wall time, for comparing before and after a change.
 */
async function threadCost(task: () => Promise<unknown>): Promise<{ cpuMs: number; gcMs: number }> {
  let gcMs = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  })
  observer.observe({ entryTypes: ['gc'] })
  const before = process.threadCpuUsage()
  await task()
  const used = process.threadCpuUsage(before)
  await new Promise((resolve) => setTimeout(resolve, 10)) // the last entries arrive late
  observer.disconnect()
  return { cpuMs: (used.user + used.system) / 1000, gcMs }
}

/** Best of `runs` timings, in seconds: the least disturbed by the rest of the machine. */
async function best(runs: number, task: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await task()
    fastest = Math.min(fastest, (performance.now() - start) / 1000)
  }
  return fastest
}

/** Writes `bytes` of incompressible data, streaming a random 16 MiB block repeatedly. */
export async function bigFile(file: string, bytes: number): Promise<string> {
  const block = randomBytes(16 * MiB)
  const handle = await open(file, 'w')
  try {
    for (let written = 0; written < bytes; written += block.length) {
      await handle.write(block, 0, Math.min(block.length, bytes - written))
    }
  } finally {
    await handle.close()
  }
  await execFileAsync('cat', [file], { maxBuffer: 1 }).catch(() => {}) // warm the page cache
  return file
}

export async function smallFiles(dir: string, count: number, size: number): Promise<string> {
  const block = randomBytes(size)
  for (let start = 0; start < count; start += 500) {
    const sub = path.join(dir, `d${Math.floor(start / 2000)}`)
    await mkdir(sub, { recursive: true })
    await Promise.all(
      Array.from({ length: Math.min(500, count - start) }, (_, k) => {
        const data = Buffer.from(block)
        data.writeUInt32LE(start + k, 0)
        return writeFile(path.join(sub, `f${start + k}.bin`), data)
      }),
    )
  }
  return dir
}

const sh = (command: string): Promise<unknown> =>
  execFileAsync('sh', ['-c', command], { maxBuffer: 256 * MiB })

/** `import()` specifier of a source file, for scripts run in a child process. */
const moduleUrl = (file: string): string =>
  JSON.stringify(pathToFileURL(path.join(ROOT, file)).href)

export const tail = (text: string, lines = 20): string =>
  text.trim().split('\n').slice(-lines).join('\n')

/**
 * Runs an ES module script in a child Node process; its last stdout line is a JSON report.
 * Peak RSS comes from `/usr/bin/time -v` when there is one (it sees the whole process,
 * worker threads included), else from the report's own `maxRssKiB`.
 */
async function measuredChild<T>(
  script: string,
): Promise<{ report: T; maxRssKiB: number; rssSource: string }> {
  const args = ['--input-type=module', '-e', script]
  const timeTool = existsSync('/usr/bin/time')
  const { stdout, stderr } = await run(
    timeTool ? '/usr/bin/time' : process.execPath,
    timeTool ? ['-v', process.execPath, ...args] : args,
  )
  const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as T & {
    maxRssKiB: number
  }
  const fromTime = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]
  return {
    report,
    maxRssKiB: fromTime ? Number(fromTime) : report.maxRssKiB,
    rssSource: fromTime ? '/usr/bin/time -v' : 'process.resourceUsage',
  }
}

// ---- many subjects: the dry-run path without the action around it ----

const SUBJECT_COUNTS = [10_000, 50_000, 100_000] as const

interface SubjectsReport {
  subjects: number
  seconds: number
  manifestSeconds: number
  statementSeconds: number
  manifestBytes: number
  statementBytes: number
  maxRssKiB: number
  rssSource: string
}

/**
 * Glob, hash, canonical manifest, in-toto statement and its canonical bytes for `count`
 * 1 KiB files, in a fresh child process so that its peak RSS is this work's alone.
 */
function subjectsRun(ctx: BenchContext, count: number): Promise<SubjectsReport> {
  return ctx.fixture(`subjects-run-${count}`, async () => {
    const workspace = path.join(ctx.dir, `subjects-${count}`)
    await smallFiles(path.join(workspace, 'subjects'), count, 1024)
    const context = {
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      repository: 'octo-org/octo-repo',
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      workflowRef: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      eventName: 'push',
      runId: '1001',
      runAttempt: '1',
      workspace,
      tempDir: path.join(ctx.dir, `subjects-${count}-out`),
    }
    const { report, maxRssKiB, rssSource } = await measuredChild<SubjectsReport>(`
      const { buildManifest } = await import(${moduleUrl('src/manifest/index.ts')})
      const { buildProvenanceStatement } = await import(${moduleUrl('src/sign/statement.ts')})
      const { changeRecordAnnotation } = await import(${moduleUrl('src/change-record/statement.ts')})
      const { canonicalJson } = await import(${moduleUrl('src/util/canonical-json.ts')})
      const context = ${JSON.stringify(context)}
      const start = performance.now()
      const built = await buildManifest({
        workspace: context.workspace,
        patterns: ['subjects/**/*.bin'],
        source: { repository: context.repository, commit: context.sha, tag: 'v1.0.0' },
        outDir: context.tempDir,
        sourceDateEpoch: 0,
      })
      const manifestDone = performance.now()
      const statement = buildProvenanceStatement({
        manifest: built,
        context,
        tag: 'v1.0.0',
        annotations: changeRecordAnnotation('0'.repeat(64)),
      })
      const bytes = canonicalJson(statement)
      const end = performance.now()
      console.log(JSON.stringify({
        subjects: built.subjects.length,
        seconds: (end - start) / 1000,
        manifestSeconds: (manifestDone - start) / 1000,
        statementSeconds: (end - manifestDone) / 1000,
        manifestBytes: built.bytes.length,
        statementBytes: bytes.length,
        maxRssKiB: process.resourceUsage().maxRSS,
      }))`)
    if (report.subjects !== count)
      throw new Error(`expected ${count} subjects, got ${report.subjects}`)
    await rm(workspace, { recursive: true, force: true })
    return { ...report, maxRssKiB, rssSource }
  })
}

function subjectsCase(count: (typeof SUBJECT_COUNTS)[number]): BenchCase {
  const label = `${count / 1000}k`
  return {
    id: `subjects-${label}`,
    title: `${count.toLocaleString('en')} × 1 KiB subjects: manifest + statement, peak RSS (child)`,
    large: count > 10_000,
    target: 1024,
    unit: 'MB',
    async run(ctx) {
      const r = await subjectsRun(ctx, count)
      return {
        ours: r.seconds,
        value: (r.maxRssKiB * 1024) / 1e6,
        note: `${((r.seconds / r.subjects) * 1e6).toFixed(1)} µs/subject (manifest ${r.manifestSeconds.toFixed(2)} s, statement ${r.statementSeconds.toFixed(2)} s); manifest ${(r.manifestBytes / MiB).toFixed(1)} MiB, statement ${(r.statementBytes / MiB).toFixed(1)} MiB; ${r.rssSource}`,
        details: { ...r },
      }
    },
  }
}

// ---- the action against the loopback GitHub fake and Sigstore stack ----

interface TimedRequest {
  request: RecordedRequest
  start: number
  end?: number
}

/** One world for all action cases, with the fake's requests timed. */
export function releaseWorld(
  ctx: BenchContext,
): Promise<ReleaseWorld & { timings: TimedRequest[] }> {
  return ctx.fixture('world', async () => {
    const world = await startReleaseWorld()
    ctx.cleanup(() => world.close())
    return Object.assign(world, { timings: timeRequests(world.github.requests) })
  })
}

/**
 * The fake records each request when it arrives and sets its status when it answers, but keeps
 * no times. Wrapping the log's push and the records' status gives each request its interval on
 * the server, from which the uploads in flight at once follow.
 */
function timeRequests(log: RecordedRequest[]): TimedRequest[] {
  const timings: TimedRequest[] = []
  const push = log.push.bind(log)
  log.push = (...records: RecordedRequest[]): number => {
    for (const request of records) {
      const timing: TimedRequest = { request, start: performance.now() }
      let status = request.status
      Object.defineProperty(request, 'status', {
        enumerable: true,
        get: () => status,
        set(value: number) {
          status = value
          timing.end ??= performance.now()
        },
      })
      timings.push(timing)
    }
    return push(...records)
  }
  return timings
}

/** The request's OpenAPI route; asset downloads (a redirect's target) by their URL shape. */
function routeOf(request: RecordedRequest): string {
  if (request.path.startsWith('/uploads/')) return `/uploads${request.route ?? request.path}`
  if (request.route) return request.route
  if (request.path.startsWith('/download/'))
    return '/download/{owner}/{repo}/releases/download/{tag}/{name}'
  return request.path
}

/** Most intervals open at one instant. */
function maxOverlap(intervals: readonly { start: number; end: number }[]): number {
  const events = intervals.flatMap((i) => [
    { at: i.start, delta: 1 },
    { at: i.end, delta: -1 },
  ])
  events.sort((a, b) => a.at - b.at || a.delta - b.delta)
  let open = 0
  let most = 0
  for (const e of events) most = Math.max(most, (open += e.delta))
  return most
}

/**
 * An entry that runs `entry` and reports the process's peak RSS on stderr as it exits: VmHWM,
 * the high-water mark of the process's own memory, which starts afresh at exec. Not
 * `resourceUsage().maxRSS`: Linux keeps it across exec, so a child spawned by this process
 * reported this process's size when that was larger (after the fake received a 4 GiB upload,
 * 2.4 GB for a release whose own peak was 146 MB). maxRSS only where there is no /proc.
 */
function rssReportingEntry(ctx: BenchContext, entry: string): Promise<string> {
  return ctx.fixture(`rss-entry-${entry}`, async () => {
    const wrapper = path.join(ctx.dir, `rss-${path.basename(entry)}.mjs`)
    const peakKiB = `(() => {
      try { return /^VmHWM:\\s*(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1] }
      catch { return process.resourceUsage().maxRSS }
    })()`
    await writeFile(
      wrapper,
      `import { readFileSync } from 'node:fs'\n` +
        `process.on('exit', () => process.stderr.write('\\nbench-max-rss-kib=' + ${peakKiB} + '\\n'))\n` +
        `import(${JSON.stringify(pathToFileURL(entry).href)})\n`,
    )
    return wrapper
  })
}

const API_ASSET_COUNTS = [1, 10, 100] as const

/**
 * What a runner's event file says about the repository (every repository event carries it);
 * without it the action asks the API for the visibility, one request a real run does not make.
 */
export const EVENT_PAYLOAD = {
  repository: {
    full_name: 'octo-org/octo-repo',
    private: false,
    visibility: 'public',
    owner: { login: 'octo-org', type: 'Organization' },
  },
}

/**
 * Server time of each upload. Loopback uploads of 1 KiB finish before the next one starts, so
 * concurrency would not show; GitHub takes this long and more.
 */
const UPLOAD_LATENCY_MS = 50

/** The manifest, SHA256SUMS, the change record and the two Sigstore bundles. */
const OWN_ASSETS = 5

/** A release that already exists, so each measured release also reads the commits since it. */
function previousRelease(ctx: BenchContext): Promise<void> {
  return ctx.fixture('previous-release', async () => {
    const world = await releaseWorld(ctx)
    await world.write('previous/app.bin', randomBytes(1024))
    const result = await world.run(
      { tag: 'v0.9.0', 'subject-path': 'previous/*' },
      { entry: ctx.actionEntry, eventPayload: EVENT_PAYLOAD },
    )
    if (result.exitCode !== 0) throw new Error(`the first release failed:\n${tail(result.stdout)}`)
  })
}

function apiRequestsCase(assets: (typeof API_ASSET_COUNTS)[number]): BenchCase {
  return {
    id: `api-requests-${assets}`,
    // N counts every asset the release ends up with: the artifacts and the action's own files.
    title: `GitHub API requests of a release of ${assets} artifact(s) + ${OWN_ASSETS} own files, ≤ N + 12`,
    target: assets + OWN_ASSETS + 12,
    unit: 'requests',
    async run(ctx) {
      const world = await releaseWorld(ctx)
      await previousRelease(ctx)
      const block = randomBytes(1024)
      for (let i = 0; i < assets; i++) {
        block.writeUInt32LE(i, 0)
        await world.write(`assets-${assets}/asset-${i}.bin`, block)
      }
      for (let ordinal = 1; ordinal <= assets + OWN_ASSETS; ordinal++) {
        world.github.injectFault({
          method: 'POST',
          route: '/uploads/repos/{owner}/{repo}/releases/{release_id}/assets',
          ordinal,
          fault: { delayMs: UPLOAD_LATENCY_MS },
        })
      }
      const first = world.timings.length
      const start = performance.now()
      const result = await world.run(
        { tag: `v1.0.${assets}`, 'subject-path': `assets-${assets}/*` },
        { entry: ctx.actionEntry, eventPayload: EVENT_PAYLOAD },
      )
      const seconds = (performance.now() - start) / 1000
      if (result.exitCode !== 0) throw new Error(`the release failed:\n${tail(result.stdout)}`)
      const timed = world.timings.slice(first)
      const byRoute: Record<string, number> = {}
      for (const { request } of timed) {
        const key = `${request.method} ${routeOf(request)}`
        byRoute[key] = (byRoute[key] ?? 0) + 1
      }
      const uploads = timed.filter((t) => t.request.path.startsWith('/uploads/'))
      const inFlight = maxOverlap(
        uploads.map((t) => ({ start: t.start, end: t.end ?? Number.POSITIVE_INFINITY })),
      )
      const uploadNote = `${uploads.length} uploads (${assets} + ${OWN_ASSETS} own files, ${UPLOAD_LATENCY_MS} ms each), at most ${inFlight} in flight; ${timed.length - uploads.length} other requests`
      const routes = Object.entries(byRoute)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([route, n]) => `${n}× ${route}`)
      return {
        ours: seconds,
        value: timed.length,
        note: `${uploadNote}; ${routes.join(', ')}`,
        details: {
          requests: timed.length,
          byRoute,
          uploads: uploads.length,
          maxUploadsInFlight: inFlight,
          sequence: timed.map(
            (t) =>
              `+${(t.start - start).toFixed(0)}ms ${t.request.method} ${t.request.path} ${t.request.status}`,
          ),
        },
      }
    },
  }
}

// ---- uploads of large artifacts: peak RSS of the action (issue 17) ----

interface UploadSpec {
  id: string
  files: number
  sizeMiB: number
}

const UPLOAD_ONE_GIB: UploadSpec = { id: 'upload-1gib', files: 1, sizeMiB: 1024 }

interface UploadRun {
  seconds: number
  maxRssKiB: number
  uploads: number
}

/**
 * A sparse artifact with a random first MiB, so that artifacts differ: it costs no disk and
 * reads at memory speed, which leaves the upload path as the only thing measured.
 */
export async function sparseArtifact(file: string, bytes: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const handle = await open(file, 'w')
  try {
    await handle.truncate(bytes)
    await handle.write(randomBytes(MiB), 0, MiB, 0)
  } finally {
    await handle.close()
  }
}

/**
 * A whole release (sign, draft, upload, check, publish) of `spec.files` artifacts through the
 * real action against the loopback fake, with the action process's peak RSS. The artifacts are
 * removed afterwards; the fake keeps its stored copies until the end of the run.
 */
function uploadRun(ctx: BenchContext, spec: UploadSpec): Promise<UploadRun> {
  return ctx.fixture(`upload-run-${spec.id}`, async () => {
    const world = await releaseWorld(ctx)
    const folder = path.join(world.workspace, spec.id)
    for (let i = 0; i < spec.files; i++) {
      await sparseArtifact(path.join(folder, `artifact-${i}.bin`), spec.sizeMiB * MiB)
    }
    const entry = await rssReportingEntry(ctx, ctx.actionEntry)
    const first = world.github.requests.length
    const start = performance.now()
    const result = await world.run(
      { tag: `v3.0.0-${spec.id}`, 'subject-path': `${spec.id}/*` },
      { entry, eventPayload: EVENT_PAYLOAD },
    )
    const seconds = (performance.now() - start) / 1000
    await rm(folder, { recursive: true, force: true })
    if (result.exitCode !== 0) throw new Error(`the release failed:\n${tail(result.stdout)}`)
    const uploads = world.github.requests
      .slice(first)
      .filter((r) => r.path.startsWith('/uploads/') && r.status === 201).length
    if (uploads !== spec.files + OWN_ASSETS) {
      throw new Error(`expected ${spec.files + OWN_ASSETS} uploads, the fake stored ${uploads}`)
    }
    const maxRssKiB = Number(/bench-max-rss-kib=(\d+)/.exec(result.stderr)?.[1])
    return { seconds, maxRssKiB, uploads }
  })
}

const rssMB = (run: UploadRun): number => (run.maxRssKiB * 1024) / 1e6

/**
 * Peak RSS of a release of large artifacts, ≤ 250 MB. A streamed upload costs the same for any
 * size, so the larger cases also report their figure against the 1 GiB case's (within ±10%).
 */
function uploadCase(spec: UploadSpec, title: string): BenchCase {
  return {
    id: spec.id,
    title,
    large: spec !== UPLOAD_ONE_GIB,
    target: 250,
    unit: 'MB',
    async run(ctx) {
      const r = await uploadRun(ctx, spec)
      const totalMiB = spec.files * spec.sizeMiB
      let comparison = ''
      if (spec !== UPLOAD_ONE_GIB) {
        const base = rssMB(await uploadRun(ctx, UPLOAD_ONE_GIB))
        const change = (rssMB(r) / base - 1) * 100
        const within = Math.abs(change) <= 10 ? 'PASS' : 'FAIL'
        comparison = `; ${change >= 0 ? '+' : ''}${change.toFixed(1)}% against the 1 GiB case's ${base.toFixed(0)} MB (±10%: ${within})`
      }
      return {
        ours: r.seconds,
        value: rssMB(r),
        note: `${spec.files} × ${spec.sizeMiB} MiB (sparse) + ${OWN_ASSETS} own files, ${r.uploads} uploads, ${(totalMiB / r.seconds).toFixed(0)} MiB/s end to end${comparison}; ${path.relative(ROOT, ctx.actionEntry)}`,
        details: { ...r, files: spec.files, sizeMiB: spec.sizeMiB },
      }
    },
  }
}

const UPLOAD_CASES: BenchCase[] = [
  uploadCase(UPLOAD_ONE_GIB, 'release of one 1 GiB artifact: peak RSS of the action'),
  uploadCase(
    { id: 'upload-4gib', files: 1, sizeMiB: 4096 },
    'release of one 4 GiB artifact: peak RSS of the action',
  ),
  uploadCase(
    { id: 'upload-4x512mib', files: 4, sizeMiB: 512 },
    'release of 4 × 512 MiB artifacts (uploaded 4 at once): peak RSS of the action',
  ),
]

// ---- start-up of the bundles ----

interface StartupCaseOptions {
  id: string
  title: string
  /** Bundle entry, relative to the repository. */
  entry: string
  args: string[]
  /** Whether the run reached the point it is timed to (so a crash does not look fast). */
  expect(output: { stdout: string; stderr: string }): boolean
}

function startupCase(options: StartupCaseOptions): BenchCase {
  return {
    id: options.id,
    title: options.title,
    target: 1.2,
    unit: 'ratio',
    async run() {
      const entry = path.join(ROOT, options.entry)
      if (!existsSync(entry))
        throw new Error(`${options.entry} is missing: run 'npm run bundle' first`)
      // A runner's environment: no inputs, and no compile cache to flatter a second start.
      const env = Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !name.startsWith('INPUT_') && name !== 'NODE_COMPILE_CACHE',
        ),
      )
      const check = await spawnTimed([entry, ...options.args], env)
      if (!options.expect(check)) {
        throw new Error(
          `${options.entry} did not reach the expected point:\n${check.stdout}${check.stderr}`,
        )
      }
      // Interleaved, so that a change in the machine's load touches both sides alike.
      const ours: number[] = []
      const reference: number[] = []
      for (let i = 0; i < 11; i++) {
        reference.push((await spawnTimed(['-e', '0'], env)).seconds)
        ours.push((await spawnTimed([entry, ...options.args], env)).seconds)
      }
      const sizes = await bundleSizes(entry)
      return {
        ours: median(ours),
        reference: median(reference),
        note: `${options.entry} ${kB(sizes.entry)}, loads ${kB(sizes.loadedFirst)} in ${sizes.loadedFiles} file(s) before its first decision; dist/chunks ${kB(sizes.chunks)}`,
        details: { ...sizes, runs: { ours, reference } },
      }
    },
  }
}

const kB = (bytes: number): string =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Wall time of one `node …` run, from spawn to exit. */
async function spawnTimed(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; stdout: string; stderr: string }> {
  const start = performance.now()
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d))
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  await new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  return { seconds: (performance.now() - start) / 1000, stdout, stderr }
}

/**
 * Size of a bundle entry, of what it loads before running (the transitive static imports of
 * its chunks; dynamic `import()` chunks load later), and of all chunks.
 */
async function bundleSizes(
  entry: string,
): Promise<{ entry: number; loadedFirst: number; loadedFiles: number; chunks: number }> {
  const staticImport = /(?:^|\n)import\s+(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g
  const seen = new Set<string>()
  let loadedFirst = 0
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return
    seen.add(file)
    const text = await readFile(file, 'utf8')
    loadedFirst += Buffer.byteLength(text)
    for (const match of text.matchAll(staticImport)) {
      await visit(path.resolve(path.dirname(file), match[1] as string))
    }
  }
  await visit(entry)
  const chunkDir = path.join(path.dirname(entry), 'chunks')
  let chunks = 0
  for (const name of existsSync(chunkDir) ? await readdir(chunkDir) : []) {
    chunks += (await stat(path.join(chunkDir, name))).size
  }
  return { entry: (await stat(entry)).size, loadedFirst, loadedFiles: seen.size, chunks }
}

/** The cases that time the library inside this process, and the action's own cases. */
const IN_PROCESS_CASES: BenchCase[] = [
  {
    id: 'one-large-file',
    title: 'one 1 GiB file (2 GiB with --large) vs openssl dgst -sha256',
    target: 1.05,
    unit: 'ratio',
    async run(ctx) {
      const size = ctx.large ? 2048 * MiB : 1024 * MiB
      const file = await ctx.fixture(`big-${size}`, () =>
        bigFile(path.join(ctx.dir, `big-${size}.bin`), size),
      )
      const reference = await best(2, () => execFileAsync('openssl', ['dgst', '-sha256', file]))
      const ours = await best(2, () => hashFiles([{ path: file, size, algorithms: ['sha256'] }]))
      return { ours, reference, note: `${(size / ours / 2 ** 30).toFixed(2)} GiB/s` }
    },
  },
  {
    id: 'parallel-large-files',
    title: '4 × 512 MiB in parallel vs openssl one after another',
    large: true,
    target: 0.6,
    unit: 'ratio',
    async run(ctx) {
      const files = await ctx.fixture('four', async () => {
        const out: string[] = []
        for (let i = 0; i < 4; i++)
          out.push(await bigFile(path.join(ctx.dir, `quarter-${i}.bin`), 512 * MiB))
        return out
      })
      const reference = await best(2, () => execFileAsync('openssl', ['dgst', '-sha256', ...files]))
      const ours = await best(2, () =>
        hashFiles(
          files.map((p) => ({ path: p, size: 512 * MiB, algorithms: ['sha256'] as const })),
        ),
      )
      return { ours, reference, note: `${availableParallelism()} cores` }
    },
  },
  {
    id: 'small-files',
    title: '20,000 × 2 KiB files (whole buildManifest) vs find | xargs openssl',
    target: 1.5,
    unit: 'ratio',
    async run(ctx) {
      const workspace = await ctx.fixture('small', async () => {
        const ws = path.join(ctx.dir, 'small-ws')
        await smallFiles(path.join(ws, 'many'), 20_000, 2048)
        return ws
      })
      const many = path.join(workspace, 'many')
      const reference = await best(3, () =>
        sh(`find '${many}' -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null`),
      )
      const build = (): Promise<unknown> =>
        buildManifest({
          workspace,
          patterns: ['many/**/*.bin'],
          source: {},
          outDir: path.join(ctx.dir, 'unused-out'),
          sourceDateEpoch: 0,
        })
      const ours = await best(3, build)
      const cost = await threadCost(build)
      return {
        ours,
        reference,
        note: `main thread ${cost.cpuMs.toFixed(0)} ms CPU (${((cost.cpuMs / 20_000) * 1000).toFixed(1)} µs per file), ${cost.gcMs.toFixed(0)} ms in GC`,
        details: { ...cost },
      }
    },
  },
  {
    id: 'peak-rss',
    title: 'peak RSS while hashing one large file (child process)',
    target: 150,
    unit: 'MB',
    async run(ctx) {
      const size = 1024 * MiB
      const file = await ctx.fixture(`big-${size}`, () =>
        bigFile(path.join(ctx.dir, `big-${size}.bin`), size),
      )
      const { report, maxRssKiB, rssSource } = await measuredChild<{ seconds: number }>(`
        const { hashFiles } = await import(${moduleUrl('src/manifest/hash-pool.ts')})
        const start = performance.now()
        await hashFiles([{ path: ${JSON.stringify(file)}, size: ${size}, algorithms: ['sha256'] }])
        console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, maxRssKiB: process.resourceUsage().maxRSS }))`)
      return { ours: report.seconds, value: (maxRssKiB * 1024) / 1e6, note: rssSource }
    },
  },
  {
    id: 'tarball',
    title: 'reproducible tarball of 20,000 files vs GNU tar --sort=name -czf',
    large: true,
    target: 2,
    unit: 'ratio',
    async run(ctx) {
      const tree = await ctx.fixture('tree', () =>
        smallFiles(path.join(ctx.dir, 'tree'), 20_000, 2048),
      )
      const reference = await best(2, () =>
        execFileAsync('tar', [
          '--sort=name',
          '--mtime=@0',
          '--owner=0',
          '--group=0',
          '--numeric-owner',
          '-czf',
          path.join(ctx.dir, 'gnu.tar.gz'),
          '-C',
          ctx.dir,
          'tree',
        ]),
      )
      const ours = await best(2, () =>
        createReproducibleTarball({
          directory: tree,
          outFile: path.join(ctx.dir, 'ours.tar.gz'),
          sourceDateEpoch: 0,
          displayPath: 'tree',
        }),
      )
      return { ours, reference }
    },
  },
  ...SUBJECT_COUNTS.map(subjectsCase),
  {
    id: 'subjects-linear',
    title: 'time per subject at 100,000 ÷ at 10,000 subjects (linear growth)',
    large: true,
    target: 1.5,
    unit: 'ratio',
    async run(ctx) {
      const small = await subjectsRun(ctx, 10_000)
      const large = await subjectsRun(ctx, 100_000)
      const perSubject = (r: SubjectsReport): number => r.seconds / r.subjects
      return {
        ours: perSubject(large) * 1e6,
        reference: perSubject(small) * 1e6,
        note: 'ours/reference columns here are µs per subject at 100k/10k',
      }
    },
  },
  {
    id: 'action-dry-run-10k',
    title: 'the action (dry-run) on 10,000 subjects: peak RSS of the whole process',
    target: 1024,
    unit: 'MB',
    async run(ctx) {
      const count = 10_000
      const world = await releaseWorld(ctx)
      await smallFiles(path.join(world.workspace, 'dry'), count, 1024)
      const entry = await rssReportingEntry(ctx, ctx.actionEntry)
      const before = world.github.requests.length
      const start = performance.now()
      const result = await world.run(
        { tag: 'v0.0.1-dry-run', 'subject-path': 'dry/**/*.bin', 'dry-run': 'true' },
        { entry, eventPayload: EVENT_PAYLOAD },
      )
      const seconds = (performance.now() - start) / 1000
      if (result.exitCode !== 0) throw new Error(`the dry run failed:\n${tail(result.stdout)}`)
      const notice = result.annotations.find((a) => a.message.startsWith('Dry run:'))
      if (!notice?.message.includes(`${count} subjects`)) {
        throw new Error(`the dry run did not report ${count} subjects: ${notice?.message}`)
      }
      const kib = Number(/bench-max-rss-kib=(\d+)/.exec(result.stderr)?.[1])
      const requests = world.github.requests.length - before
      return {
        ours: seconds,
        value: (kib * 1024) / 1e6,
        note: `${((seconds / count) * 1e6).toFixed(0)} µs/subject end to end (process start included), ${requests} API requests, ${path.relative(ROOT, ctx.actionEntry)}`,
        details: { subjects: count, seconds, maxRssKiB: kib, requests },
      }
    },
  },
  startupCase({
    id: 'startup-action',
    title: 'node dist/index.js to its first input error vs node -e 0 (median of 11)',
    entry: 'dist/index.js',
    args: [],
    expect: (out) => out.stdout.includes("::error::Input 'tag'"),
  }),
  startupCase({
    id: 'startup-cli',
    title: 'node dist/cli.js --help vs node -e 0 (median of 11)',
    entry: 'dist/cli.js',
    args: ['--help'],
    expect: (out) => out.stdout.startsWith('Usage:'),
  }),
  ...API_ASSET_COUNTS.map(apiRequestsCase),
  ...UPLOAD_CASES,
]

/**
 * Every case, in the order they run. Cases kept in their own file are registered here, one
 * line each (`...THEIR_CASES,`): the whole-process cases first, as users see those figures.
 */
export const CASES: BenchCase[] = [
  ...PROCESS_CASES,
  ...IN_PROCESS_CASES,
  ...WITHDRAW_CASES,
  ...AUDIT_CASES,
]

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    )
  })
}

interface Row {
  id: string
  title: string
  /** Percent of the machine's CPU time the hypervisor took while the case ran (Linux). */
  steal?: number
  ours: number
  reference?: number
  value: number
  unit: BenchCase['unit']
  target: number
  pass: boolean
  note?: string
  details?: Record<string, unknown>
}

/**
 * The machine's CPU counters (/proc/stat, all cores): what the hypervisor took (steal) and
 * the total. A virtual machine whose host is busy loses CPU time that the load average does
 * not show: at 25-48 % steal the same run took twice as long, so a figure is judged with the
 * steal beside it. Undefined where /proc/stat is not there.
 */
interface CpuCounters {
  steal: number
  total: number
}

function cpuCounters(): CpuCounters | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? ''
    // cpu user nice system idle iowait irq softirq steal [guest guest_nice, within user]
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number)
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined
    return { steal: fields[7] as number, total: fields.reduce((a, b) => a + b, 0) }
  } catch {
    return undefined
  }
}

/** Percent of CPU time stolen between two readings. */
function stealPercent(before?: CpuCounters, after?: CpuCounters): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined
  return (100 * (after.steal - before.steal)) / (after.total - before.total)
}

const formatSteal = (steal?: number): string => (steal === undefined ? '-' : `${steal.toFixed(0)}%`)

function formatValue(row: Row): string {
  if (row.unit === 'ratio') return row.value.toFixed(2)
  if (row.unit === 'requests') return `${row.value} requests`
  return `${row.value.toFixed(1)} ${row.unit}`
}

async function main(argv: string[]): Promise<number> {
  const large = argv.includes('--large')
  const json = argv.includes('--json')
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
  const entryChoice = argv.find((a) => a.startsWith('--entry='))?.slice('--entry='.length) ?? 'src'
  if (entryChoice !== 'src' && entryChoice !== 'dist') {
    process.stderr.write(`--entry must be src or dist, got '${entryChoice}'\n`)
    return 2
  }
  const cliChoice = argv.find((a) => a.startsWith('--cli='))?.slice('--cli='.length)
  const dir = await mkdtemp(path.join(tmpdir(), 'immutable-release-bench-'))
  const fixtures = new Map<string, Promise<unknown>>()
  const cleanups: (() => Promise<void>)[] = []
  const ctx: BenchContext = {
    dir,
    large,
    actionEntry: entryChoice === 'dist' ? ACTION_ENTRY_DIST : ACTION_ENTRY_SOURCE,
    cli: cliChoice ? path.resolve(cliChoice) : path.join(ROOT, 'dist/cli.js'),
    fixture<T>(key: string, make: () => Promise<T>): Promise<T> {
      if (!fixtures.has(key)) fixtures.set(key, make())
      return fixtures.get(key) as Promise<T>
    },
    cleanup(task) {
      cleanups.push(task)
    },
  }
  const loadBefore = loadavg()[0] ?? 0
  const countersBefore = cpuCounters()
  const started = performance.now()
  const openssl = await execFileAsync('openssl', ['version']).then(
    (r) => r.stdout.trim(),
    () => 'no openssl',
  )
  if (!json)
    process.stderr.write(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    )
  const rows: Row[] = []
  try {
    for (const bench of CASES) {
      if (bench.large && !large) continue
      if (only && !only.includes(bench.id)) continue
      if (!json) process.stderr.write(`running ${bench.id} (load ${loadavg()[0]?.toFixed(1)})…\n`)
      let result: BenchResult
      const caseCounters = cpuCounters()
      try {
        result = await bench.run(ctx)
      } catch (error) {
        // A case that cannot run is a missed target, not the end of the run.
        rows.push({
          id: bench.id,
          title: bench.title,
          ours: Number.NaN,
          value: Number.NaN,
          unit: bench.unit,
          target: bench.target,
          pass: false,
          note: `did not run: ${(error as Error).message.split('\n')[0]}`,
        })
        continue
      }
      const value =
        result.value ?? (result.reference ? result.ours / result.reference : result.ours)
      const steal = stealPercent(caseCounters, cpuCounters())
      rows.push({
        id: bench.id,
        title: bench.title,
        ...(steal !== undefined ? { steal } : {}),
        ours: result.ours,
        ...(result.reference !== undefined ? { reference: result.reference } : {}),
        value,
        unit: bench.unit,
        target: bench.target,
        pass: value <= bench.target,
        ...(result.note ? { note: result.note } : {}),
        ...(result.details ? { details: result.details } : {}),
      })
    }
  } finally {
    for (const task of cleanups.reverse()) await task()
    await rm(dir, { recursive: true, force: true })
  }
  const load = { before: loadBefore, after: loadavg()[0] ?? 0 }
  const steal = stealPercent(countersBefore, cpuCounters())
  if (json) {
    process.stdout.write(
      JSON.stringify(
        {
          node: process.version,
          cores: availableParallelism(),
          openssl,
          loadAverage1m: load,
          ...(steal !== undefined ? { stealPercent: steal } : {}),
          seconds: (performance.now() - started) / 1000,
          large,
          cli: path.relative(ROOT, ctx.cli),
          actionEntry: path.relative(ROOT, ctx.actionEntry),
          results: rows,
        },
        null,
        2,
      ) + '\n',
    )
  } else {
    const table = [
      ['case', 'steal', 'ours (s)', 'reference (s)', 'ratio / value', 'target', 'result'],
      ...rows.map((r) => [
        r.id,
        formatSteal(r.steal),
        r.ours.toFixed(3),
        r.reference !== undefined ? r.reference.toFixed(3) : '-',
        formatValue(r),
        `≤ ${r.target}${r.unit === 'ratio' ? '' : ' ' + r.unit}`,
        r.pass ? 'pass' : 'FAIL',
      ]),
    ]
    const widths =
      table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? []
    for (const row of table)
      process.stdout.write(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ') + '\n')
    const notes = rows.filter((r) => r.note)
    if (notes.length > 0) process.stdout.write('\n')
    for (const r of notes) process.stdout.write(`${r.id}: ${r.note}\n`)
    process.stdout.write(
      `\nNode ${process.version}, ${openssl}, ${availableParallelism()} cores, load average (1 min) ${load.before.toFixed(1)} → ${load.after.toFixed(1)}, CPU steal ${formatSteal(steal)}, ${((performance.now() - started) / 1000).toFixed(0)} s${large ? ', --large' : ''}; CLI ${path.relative(ROOT, ctx.cli)}\n`,
    )
  }
  return rows.every((r) => r.pass) ? 0 : 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
