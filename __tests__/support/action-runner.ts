// Runs the action the way a GitHub runner does: a separate Node process, inputs as INPUT_*
// variables, the standard GITHUB_* / RUNNER_* environment, the OIDC request variables, and
// files for outputs and the step summary.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ACTION_ENTRY_SOURCE = resolve(import.meta.dirname, '../../src/action/main.ts')
export const ACTION_ENTRY_DIST = resolve(import.meta.dirname, '../../dist/index.js')
export const WITHDRAW_ENTRY_SOURCE = resolve(
  import.meta.dirname,
  '../../src/withdraw-action/main.ts',
)
export const WITHDRAW_ENTRY_DIST = resolve(import.meta.dirname, '../../dist/withdraw.js')

export interface ActionRunOptions {
  /** Inputs by their action.yml names (`subject-path`, `dry-run` ...). */
  inputs: Record<string, string>
  workspace: string
  repository?: string
  sha?: string
  apiUrl: string
  /** OIDC request URL and token, as a job with `id-token: write` has them. */
  oidc?: { requestURL: string; requestToken: string }
  runId?: string
  runAttempt?: string
  eventPayload?: unknown
  extraEnv?: Record<string, string | undefined>
  entry?: string
  /** Kill the process after this many milliseconds (crash tests). */
  killAfterMs?: number
  /** Kill the process (SIGKILL, like a cancelled job's runner) when this aborts (crash tests). */
  killSignal?: AbortSignal
}

export interface ActionRunResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Workflow commands the action printed (`::warning::…`, `::error::…`, `::notice …::…`). */
  annotations: { level: string; message: string }[]
  runnerTemp: string
}

// Runner folders stay until the process ends, so tests can read what the action wrote there.
const runnerTemps: string[] = []
process.on('exit', () => {
  for (const dir of runnerTemps) rmSync(dir, { recursive: true, force: true })
})

/** Parses the GITHUB_OUTPUT file format: `name<<DELIM\nvalue\nDELIM\n`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (match) {
      const [, name, delimiter] = match as unknown as [string, string, string]
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
      outputs[name] = value.join('\n')
    } else {
      const eq = (lines[i] ?? '').indexOf('=')
      if (eq > 0) outputs[(lines[i] ?? '').slice(0, eq)] = (lines[i] ?? '').slice(eq + 1)
    }
  }
  return outputs
}

function parseAnnotations(stdout: string): { level: string; message: string }[] {
  const annotations: { level: string; message: string }[] = []
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line)
    if (match) {
      annotations.push({
        level: match[1] as string,
        message: (match[2] as string)
          .replace(/%0A/g, '\n')
          .replace(/%0D/g, '\r')
          .replace(/%25/g, '%'),
      })
    }
  }
  return annotations
}

/** Lines a runner would obey as workflow commands: `::` after leading whitespace. */
export function commandLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => line.trimStart().startsWith('::'))
}

/**
 * The annotations the code issues: a level, and only the titles it gives (src/action/steps/
 * report.ts, src/manifest/build.ts). An injected `::warning title=INJECTED::` is not one.
 */
const OWN_ANNOTATION =
  /^::(error|warning|notice|debug)( title=(immutable-release|Unsafe archive members))?::/

/** A JSON Web Token: the OIDC identity token @actions/core masks as it fetches it. */
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/

/**
 * The command lines of `output` the code did not issue on purpose (issue 18, finding 2). On
 * purpose are: annotations and debug lines through @actions/core (which escapes their data, so
 * they stay one line), and `::add-mask::` for the secrets the action masks (the token and the
 * pseudonymization key it was given, and the identity token). Anything else, say a second
 * line smuggled into a message by GitHub's answer or an input, is listed.
 */
export function unintendedCommands(output: string, secrets: readonly string[]): string[] {
  return commandLines(output).filter((line) => {
    if (!line.startsWith('::add-mask::')) return !OWN_ANNOTATION.test(line)
    const value = line.slice('::add-mask::'.length)
    return !secrets.includes(value) && !JWT.test(value)
  })
}

/**
 * The shared recorder: every stdout and stderr of every action process (and every CLI run of
 * __tests__/verify/support.ts) is scanned, and a run that printed a command the code did not
 * mean fails the test that made it, whichever test that is.
 */
export function assertNoUnintendedCommands(
  what: string,
  streams: { stdout: string; stderr: string },
  secrets: readonly string[] = [],
): void {
  const found = [
    ...unintendedCommands(streams.stdout, secrets),
    ...unintendedCommands(streams.stderr, secrets),
  ]
  if (found.length > 0) {
    throw new Error(`${what} printed workflow commands it did not mean:\n${found.join('\n')}`)
  }
}

export interface RunnerEnvironmentOptions {
  workspace: string
  repository: string
  sha: string
  apiUrl: string
  runId: string
  runAttempt: string
  files: { output: string; summary: string; event: string }
  runnerTemp: string
}

/** The `GITHUB_*` and `RUNNER_*` variables a GitHub-hosted runner gives a step. */
export function runnerEnvironment(options: RunnerEnvironmentOptions): Record<string, string> {
  const { repository, sha } = options
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? options.runnerTemp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0] ?? '',
    GITHUB_REPOSITORY_ID: '123456',
    GITHUB_REPOSITORY_OWNER_ID: '654321',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_WORKFLOW: 'release',
    GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/release.yml@refs/heads/main`,
    GITHUB_WORKFLOW_SHA: sha,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: options.files.event,
    GITHUB_RUN_ID: options.runId,
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: options.runAttempt,
    GITHUB_ACTOR: 'octocat',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_OUTPUT: options.files.output,
    GITHUB_STEP_SUMMARY: options.files.summary,
    RUNNER_TEMP: options.runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
  }
}

export async function runAction(options: ActionRunOptions): Promise<ActionRunResult> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'runner-temp-'))
  runnerTemps.push(runnerTemp)
  const outputFile = join(runnerTemp, 'output.txt')
  const summaryFile = join(runnerTemp, 'summary.md')
  const eventFile = join(runnerTemp, 'event.json')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  await writeFile(eventFile, JSON.stringify(options.eventPayload ?? {}))
  await mkdir(options.workspace, { recursive: true })

  const env: Record<string, string> = {
    ...runnerEnvironment({
      workspace: options.workspace,
      repository: options.repository ?? 'octo-org/octo-repo',
      sha: options.sha ?? 'a'.repeat(40),
      apiUrl: options.apiUrl,
      runId: options.runId ?? '1001',
      runAttempt: options.runAttempt ?? '1',
      files: { output: outputFile, summary: summaryFile, event: eventFile },
      runnerTemp,
    }),
    // Not a runner variable: the many spawned runs share Node's compile cache, so each run does
    // not strip and compile every module again. It changes no behaviour.
    NODE_COMPILE_CACHE: join(tmpdir(), 'immutable-release-action-compile-cache'),
  }
  if (options.oidc) {
    env['ACTIONS_ID_TOKEN_REQUEST_URL'] = options.oidc.requestURL
    env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = options.oidc.requestToken
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    // The runner upper-cases the name and keeps dashes, as @actions/core reads it.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(options.extraEnv ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }

  const child = spawn(process.execPath, [options.entry ?? ACTION_ENTRY_SOURCE], {
    env,
    cwd: options.workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const timer = options.killAfterMs
    ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
    : undefined
  const kill = (): void => void child.kill('SIGKILL')
  if (options.killSignal?.aborted) kill()
  else options.killSignal?.addEventListener('abort', kill, { once: true })
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (done, fail) => {
      child.on('error', fail)
      child.on('close', (code, sig) => done([code, sig]))
    },
  )
  if (timer) clearTimeout(timer)
  options.killSignal?.removeEventListener('abort', kill)
  const secrets = [options.inputs['github-token'], options.inputs['pseudonymization-key']]
  assertNoUnintendedCommands(
    'the action',
    { stdout, stderr },
    secrets.filter((v) => v !== undefined),
  )
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    annotations: parseAnnotations(stdout),
    runnerTemp,
  }
}
