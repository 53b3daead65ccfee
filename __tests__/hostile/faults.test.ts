// Issue 8, item 1: the fault-injection matrix. Every request of a release (GitHub API and the
// Sigstore services) is failed in every way a network or service fails, one fault per run, and
// each run must end published and verifiable, or failed with nothing visible and an error that
// says why. GitHub faults replay the action's GitHub calls on files the action built and signed
// (hundreds of runs, a fresh fake each); Sigstore faults run the action's own run() in this
// process; a representative subset runs the action as a runner starts it, a separate process
// with the real, unscaled waits. `FAULT_MATRIX_OUT=file` writes the matrix as Markdown
// (scripts/fault-matrix.ts puts it into docs/reliability.md).
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../src/action/run.ts'
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/sign/signer.ts'
import type * as ReleaseModule from '../../src/release/index.ts'
import type * as SignModule from '../../src/sign/index.ts'
import type * as GitHubClientModule from '../../src/github/client.ts'
import { createFakeClient } from '../support/github-fake/index.ts'
import type { FaultAction, GitHubFake } from '../support/github-fake/index.ts'
import type { FaultOptions, SigstoreService } from '../support/sigstore-stack.ts'
import { publishSignedRelease, signedReleaseFromOutputs } from './support-github-flow.ts'
import type { SignedRelease } from './support-github-flow.ts'
import { runInProcess } from './support-inprocess.ts'
import { errorsOf, limited, startProcessWorld } from './support-process.ts'
import type { ProxyFault } from './support-sigstore-proxy.ts'
import { EXPECTED_ASSETS, judgeRun, startHostileWorld } from './support-world.ts'
import type { HostileWorld, Outcome, Verdict } from './support-world.ts'

// The action's own code with its waits scaled from seconds to milliseconds: the same number of
// retries of the same requests, only shorter pauses (and a shorter Sigstore request timeout).
vi.mock('../../src/github/client.ts', async (importOriginal) => {
  const original = await importOriginal<typeof GitHubClientModule>()
  return {
    ...original,
    createGitHubClient: (options: Parameters<typeof original.createGitHubClient>[0]) =>
      original.createGitHubClient({ ...options, millisecondsPerRetrySecond: 5 }),
  }
})
vi.mock('../../src/sign/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof SignModule>()
  const { DEFAULT_RETRY } = await import('../../src/sign/signer.ts')
  return {
    ...original,
    signStatement: (...[statement, options]: Parameters<typeof original.signStatement>) =>
      original.signStatement(statement, {
        ...options,
        retry: { ...DEFAULT_RETRY, minTimeoutMs: 5, maxTimeoutMs: 20 },
        timeoutMs: signing.timeoutMs,
      }),
  }
})
vi.mock('../../src/release/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof ReleaseModule>()
  return {
    ...original,
    publishRelease: (...[client, request, reporter]: Parameters<typeof original.publishRelease>) =>
      original.publishRelease(
        client,
        { ...request, uploadRetry: { attempts: 3, delayMs: 5 } },
        reporter,
      ),
  }
})
const { SIGN_TIMEOUT_MS, signing } = vi.hoisted(() => ({
  SIGN_TIMEOUT_MS: 800,
  /**
   * The per-request timeout the signer gets now. The baseline run, whose requests the first
   * test compares one by one, waits as long as the action does (15 s): under load a
   * Fulcio answer slower than the short timeout was abandoned and asked again, an extra
   * request that made the comparison fail at random. The fault cells keep the short one.
   */
  signing: { timeoutMs: 800 },
}))

const TAG = 'v1.0.0'
const RUN = { id: '1001', attempt: 1 }
const UPLOAD = 'POST /repos/{owner}/{repo}/releases/{release_id}/assets'

/** The GitHub requests of a release, in order (a test checks the action makes exactly these). */
const GITHUB_FLOW: string[] = [
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/releases',
  'GET /repos/{owner}/{repo}/releases',
  'POST /repos/{owner}/{repo}/git/tags',
  'POST /repos/{owner}/{repo}/git/refs',
  'POST /repos/{owner}/{repo}/releases',
  ...EXPECTED_ASSETS.map(() => UPLOAD),
  'GET /repos/{owner}/{repo}/releases/{release_id}/assets',
  'PATCH /repos/{owner}/{repo}/releases/{release_id}',
  'GET /repos/{owner}/{repo}/immutable-releases',
  'POST /repos/{owner}/{repo}/attestations',
]
/** The Sigstore requests: the OIDC token, then Fulcio, Rekor and the TSA per signature. */
const SIGSTORE_FLOW: [SigstoreService, number][] = [
  ['oidc', 1],
  ['fulcio', 1],
  ['rekor', 1],
  ['tsa', 1],
  ['fulcio', 2],
  ['rekor', 2],
  ['tsa', 2],
]

const FAULT_NAMES = [
  '500',
  '502',
  '503',
  '503 lost answer',
  '403 secondary',
  '429',
  'reset',
  'reset lost answer',
  'truncated',
  'truncated lost answer',
  'delay',
  '503 persistent',
] as const
type FaultName = (typeof FAULT_NAMES)[number]

/** "lost answer": the server acted, then the answer failed. "persistent": every retry fails too. */
const GITHUB_FAULTS: Record<FaultName, FaultAction> = {
  '500': { status: 500 },
  '502': { status: 502 },
  '503': { status: 503 },
  '503 lost answer': { status: 503, afterEffect: true },
  '403 secondary': { status: 403, headers: { 'retry-after': '1' } },
  '429': { status: 429, headers: { 'retry-after': '1' } },
  reset: { reset: true },
  'reset lost answer': { reset: true, afterEffect: true },
  truncated: { truncate: true },
  'truncated lost answer': { truncate: true, afterEffect: true },
  // The GitHub client has no request timeout (docs/reliability.md): a slow answer is awaited.
  delay: { delayMs: 300 },
  '503 persistent': { status: 503 },
}
const SIGSTORE_FAULTS: Partial<Record<FaultName, ProxyFault>> = {
  '500': { status: 500 },
  '502': { status: 502 },
  '503': { status: 503 },
  '503 lost answer': { status: 503, afterEffect: true },
  '429': { status: 429 },
  reset: { reset: true },
  'reset lost answer': { reset: true, afterEffect: true },
  // The proxy passes the request on and cuts the service's answer.
  'truncated lost answer': { truncate: true },
  // Past the signer's per-request timeout: the request is abandoned and retried.
  delay: { delayMs: SIGN_TIMEOUT_MS * 2 },
  '503 persistent': { status: 503 },
}
const PERSISTENT_REPEATS = 12

function githubApplies(method: string, fault: FaultName): boolean {
  // Lost answers only differ from plain failures where the request changes something.
  return !(method === 'GET' && /lost answer/.test(fault))
}

/** The second signature's requests go through the same code as the first's (for time). */
const SECOND_SIGNATURE_FAULTS: FaultName[] = [
  '503',
  'reset lost answer',
  'truncated lost answer',
  '503 persistent',
]

function sigstoreApplies(service: SigstoreService, ordinal: number, fault: FaultName): boolean {
  if (!SIGSTORE_FAULTS[fault]) return false
  if (ordinal > 1) return SECOND_SIGNATURE_FAULTS.includes(fault)
  if (service !== 'oidc') return true
  // The token request is a GET; @actions/core retries its 503s ten times over ~10 s, which is
  // left out for time (502 and 503 show the retries).
  return !/lost answer|persistent/.test(fault)
}

/**
 * What each fault must lead to. Everything publishes except: faults that outlast every retry
 * (a clean failure, after a rollback when the tag was claimed), and what the libraries do not
 * retry: sigstore-js reads a service's answer outside its retry loop, so a cut-off answer fails the signing (before
 * anything is written to GitHub).
 */
function expectedOutcome(kind: 'github' | 'sigstore', row: string, fault: FaultName): Outcome {
  if (kind === 'sigstore') {
    if (fault === '503 persistent' || fault === 'truncated lost answer') return 'clean-failure'
    return 'published'
  }
  if (row.startsWith('GET /repos/{owner}/{repo}/immutable-releases')) return 'published'
  // Storing the attestation comes after publishing: its failure is a warning, the release stands.
  if (row.startsWith('POST /repos/{owner}/{repo}/attestations')) return 'published'
  return fault === '503 persistent' ? 'clean-failure' : 'published'
}

interface Cell {
  verdict: Verdict
  ms: number
}
const matrix = new Map<string, Map<FaultName, Cell>>()
function record(row: string, fault: FaultName, cell: Cell): void {
  if (!matrix.has(row)) matrix.set(row, new Map())
  matrix.get(row)!.set(fault, cell)
}

function renderMatrix(): string {
  const symbol: Record<Outcome, string> = {
    published: 'P',
    'clean-failure': 'F',
    VIOLATION: '**VIOLATION**',
  }
  const lines = [
    `| request | ${FAULT_NAMES.join(' | ')} |`,
    `|---|${FAULT_NAMES.map(() => '---').join('|')}|`,
  ]
  const counts: Record<Outcome, number> = { published: 0, 'clean-failure': 0, VIOLATION: 0 }
  const errors = new Map<string, string[]>()
  for (const [row, cells] of matrix) {
    const marks = FAULT_NAMES.map((fault) => {
      const cell = cells.get(fault)
      if (!cell) return '–'
      counts[cell.verdict.outcome]++
      if (cell.verdict.error) {
        const message = cell.verdict.error
          .replace(/127\.0\.0\.1:\d+/g, 'HOST')
          .replace(/\b\d{4,}\b/g, 'N')
          .split('\n')[0] as string
        errors.set(message, [...(errors.get(message) ?? []), `${row} × ${fault}`])
      }
      const time = process.env['FAULT_MATRIX_TIMES'] ? ` ${cell.ms}ms` : ''
      return `${symbol[cell.verdict.outcome]}${time}`
    })
    lines.push(`| \`${row}\` | ${marks.join(' | ')} |`)
  }
  const total = counts.published + counts['clean-failure'] + counts.VIOLATION
  lines.push(
    '',
    `${total} runs: ${counts.published} published and verified (P), ${counts['clean-failure']} clean failures (F), ${counts.VIOLATION} violations.`,
    '',
    'The errors the failed runs reported (ports and ids replaced):',
    '',
  )
  for (const [message, where] of errors) {
    lines.push(`- ${where.length} run(s), e.g. \`${where[0]}\`: ${message}`)
  }
  return lines.join('\n')
}

/** The rows of the GitHub flow with their per-route ordinals. */
function githubRows(): { row: string; method: string; route: string; ordinal: number }[] {
  const seen = new Map<string, number>()
  return GITHUB_FLOW.map((request) => {
    const ordinal = (seen.get(request) ?? 0) + 1
    seen.set(request, ordinal)
    const [method, route] = request.split(' ') as [string, string]
    return { row: `${request} #${ordinal}`, method, route, ordinal }
  })
}

let world: HostileWorld
let signed: SignedRelease
let baselineGitHub: string[]
let baselineSigstore: string[]

beforeAll(async () => {
  world = await startHostileWorld()
  const fake = await world.newGitHub()
  world.proxy.reset()
  signing.timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS
  const result = await runInProcess(
    run,
    await world.runnerEnv(fake, { inputs: { tag: TAG } }),
  ).finally(() => {
    signing.timeoutMs = SIGN_TIMEOUT_MS
  })
  baselineGitHub = fake.requests.map((r) => `${r.method} ${r.route ?? r.path}`)
  baselineSigstore = world.proxy.requests.map((r) => `${r.service}#${r.ordinal}`)
  const verdict = await judgeRun(world, fake, TAG, result)
  if (verdict.outcome !== 'published') {
    throw new Error(`the baseline run did not publish: ${JSON.stringify(verdict)}`)
  }
  signed = await signedReleaseFromOutputs(world.workspace, result.outputs)
})

afterAll(async () => {
  if (matrix.size > 0) {
    const table = renderMatrix()
    process.stdout.write(`\n${table}\n`)
    if (process.env['FAULT_MATRIX_OUT']) await writeFile(process.env['FAULT_MATRIX_OUT'], table)
  }
  await world?.close()
})

async function githubCell(
  method: string,
  route: string,
  ordinal: number,
  fault: FaultName,
): Promise<Cell> {
  const started = Date.now()
  // The fake's responses are checked against GitHub's OpenAPI description in the baseline.
  const fake: GitHubFake = await world.newGitHub({ validateResponses: false })
  const repeats = fault === '503 persistent' ? PERSISTENT_REPEATS : 1
  for (let i = 0; i < repeats; i++) {
    fake.injectFault({
      method,
      route: `${method} ${route}`,
      ordinal: ordinal + i,
      fault: GITHUB_FAULTS[fault],
    })
  }
  const result = await publishSignedRelease(
    createFakeClient(fake),
    { owner: fake.owner, repo: fake.repo },
    signed,
    { tag: TAG, commit: world.judge.commitSha, run: RUN },
  )
  // The fault was reached: the flow made at least `ordinal` such requests.
  const reached = fake.requests.filter((r) => `${r.method} ${r.route}` === `${method} ${route}`)
  if (reached.length < ordinal) throw new Error(`${method} ${route} #${ordinal} was never made`)
  const verdict = await judgeRun(world, fake, TAG, result, signed.digests)
  return { verdict, ms: Date.now() - started }
}

describe('fault matrix', () => {
  it('replays exactly the requests the action makes, and the signed files verify', async () => {
    expect(baselineGitHub).toEqual(GITHUB_FLOW)
    // Rekor and the TSA are asked in parallel: compare the sets, then the order of Fulcio calls.
    expect([...baselineSigstore].sort()).toEqual(SIGSTORE_FLOW.map(([s, n]) => `${s}#${n}`).sort())
    expect(baselineSigstore.slice(0, 2)).toEqual(['oidc#1', 'fulcio#1'])
    expect(baselineSigstore[4]).toBe('fulcio#2')

    const fake = await world.newGitHub()
    const result = await publishSignedRelease(
      createFakeClient(fake),
      { owner: fake.owner, repo: fake.repo },
      signed,
      { tag: TAG, commit: world.judge.commitSha, run: RUN },
    )
    expect(result.errors).toEqual([])
    expect(fake.requests.map((r) => `${r.method} ${r.route ?? r.path}`)).toEqual(GITHUB_FLOW)
    expect(fake.violations).toEqual([])
    // Verified offline once; every matrix run must publish exactly these bytes.
    expect(await judgeRun(world, fake, TAG, result)).toEqual({
      outcome: 'published',
      problems: [],
    })
  })

  for (const { row, method, route, ordinal } of githubRows()) {
    it(`GitHub ${row}`, async () => {
      const faults = FAULT_NAMES.filter((f) => githubApplies(method, f))
      const cells = await Promise.all(faults.map((f) => githubCell(method, route, ordinal, f)))
      faults.forEach((fault, i) => record(row, fault, cells[i]!))
      const outcomes = faults.map((fault, i) => ({
        fault,
        outcome: cells[i]!.verdict.outcome,
        problems: cells[i]!.verdict.outcome === 'VIOLATION' ? [] : cells[i]!.verdict.problems,
      }))
      expect(outcomes).toEqual(
        faults.map((fault) => ({
          fault,
          outcome: expectedOutcome('github', row, fault),
          problems: [],
        })),
      )
    })
  }

  for (const [service, ordinal] of SIGSTORE_FLOW) {
    const row = `${service} #${ordinal}`
    it(`Sigstore ${row}`, async () => {
      const faults = FAULT_NAMES.filter((f) => sigstoreApplies(service, ordinal, f))
      const outcomes: { fault: FaultName; outcome: Outcome; problems: string[] }[] = []
      for (const fault of faults) {
        const started = Date.now()
        const fake = await world.newGitHub({ validateResponses: false })
        world.proxy.reset()
        const repeats = fault === '503 persistent' ? PERSISTENT_REPEATS : 1
        for (let i = 0; i < repeats; i++) {
          world.proxy.inject(service, ordinal + i, SIGSTORE_FAULTS[fault] as ProxyFault)
        }
        const result = await runInProcess(
          run,
          await world.runnerEnv(fake, { inputs: { tag: TAG } }),
        )
        expect(world.proxy.requests.some((r) => r.faulted)).toBe(true)
        const verdict = await judgeRun(world, fake, TAG, result)
        record(row, fault, { verdict, ms: Date.now() - started })
        outcomes.push({ fault, outcome: verdict.outcome, problems: verdict.problems })
      }
      expect(outcomes).toEqual(
        faults.map((fault) => ({
          fault,
          outcome: expectedOutcome('sigstore', row, fault),
          problems: [],
        })),
      )
    })
  }
})

describe('through the action entry, with the real waits', () => {
  interface ProcessCase {
    name: string
    github?: { method: string; route: string; ordinal: number; fault: FaultAction }
    sigstore?: { service: SigstoreService; fault: FaultOptions }
    expected: Outcome
    /** The error must name what failed. */
    errorMentions?: RegExp
  }
  const cases: ProcessCase[] = [
    {
      name: "the claim's answer is lost (POST git/refs, 503 after the ref was written)",
      github: {
        method: 'POST',
        route: 'POST /repos/{owner}/{repo}/git/refs',
        ordinal: 1,
        fault: { status: 503, afterEffect: true },
      },
      expected: 'published',
    },
    {
      name: 'an upload is cut off mid-stream (connection reset)',
      github: { method: 'POST', route: UPLOAD, ordinal: 2, fault: { reset: true } },
      expected: 'published',
    },
    {
      name: "Rekor's answer is lost after it logged the entry (the retry meets 409)",
      sigstore: { service: 'rekor', fault: { status: 503, afterHandling: true } },
      expected: 'published',
    },
    {
      name: 'the OIDC token request fails with 500 once (retried by the action)',
      sigstore: { service: 'oidc', fault: { status: 500 } },
      expected: 'published',
    },
    {
      name: 'the OIDC token service keeps failing',
      sigstore: { service: 'oidc', fault: { status: 500, count: 10 } },
      expected: 'clean-failure',
      errorMentions: /OIDC token service/i,
    },
  ]

  async function runCase(c: ProcessCase): Promise<Verdict> {
    const pw = await startProcessWorld()
    try {
      if (c.github) pw.world.github.injectFault(c.github)
      if (c.sigstore) pw.world.sigstore.failNext(c.sigstore.service, c.sigstore.fault)
      const result = await pw.world.run({ tag: TAG, 'subject-path': 'dist/*' })
      if (c.github) expect(pw.world.github.requests.some((r) => r.faulted)).toBe(true)
      return await judgeRun(pw, pw.world.github, TAG, {
        exitCode: result.exitCode,
        errors: errorsOf(result),
      })
    } finally {
      await pw.close()
    }
  }

  it('publishes, or fails cleanly, as the in-process matrix says', async () => {
    // Two action processes at a time: the runner has two cores.
    const verdicts = await limited(
      2,
      cases.map((c) => () => runCase(c)),
    )
    const results = cases.map((c, i) => ({ name: c.name, ...verdicts[i]! }))
    for (const c of cases) {
      const got = results.find((r) => r.name === c.name)!
      expect({ name: c.name, outcome: got.outcome, problems: got.problems }).toEqual({
        name: c.name,
        outcome: c.expected,
        problems: [],
      })
      if (c.errorMentions) expect(got.error).toMatch(c.errorMentions)
    }
  }, 120_000)
})
