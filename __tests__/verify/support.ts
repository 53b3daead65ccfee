// Helpers for the verify tests: publish real releases through the action on a loopback world,
// download them as a reviewer would, run the CLI in-process or as a separate process, and
// tamper with copies of the downloaded folders.
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { main } from '../../src/cli/commands.ts'
import { downloadReleaseAssets } from '../../src/verify/index.ts'
import type { CheckId, VerificationReport } from '../../src/verify/types.ts'
import { assertNoUnintendedCommands } from '../support/action-runner.ts'
import { createFakeClient } from '../support/github-fake/index.ts'
import { afterAll, beforeAll } from 'vitest'
import { startReleaseWorld } from '../support/release-world.ts'
import type { ReleaseWorld } from '../support/release-world.ts'

export const CLI_SOURCE = resolve(import.meta.dirname, '../../src/cli/main.ts')
export const CLI_DIST = resolve(import.meta.dirname, '../../dist/cli.js')
export const CHANGE_RECORD_FIXTURE = resolve(
  import.meta.dirname,
  '../change-record/fixtures/full.yaml',
)
export const PSEUDONYMIZATION_KEY = 'verify-tests-key-0123456789abcdef0123456789'

export const ALL_CHECKS: readonly CheckId[] = [
  'assets',
  'provenance-signature',
  'signer-identity',
  'provenance-subjects',
  'change-record',
  'sha256sums',
  'tag-commit',
]

export interface PublishedRelease {
  owner: string
  repo: string
  tag: string
  /** The downloaded assets, as a reviewer has them. Never modified: tests copy it. */
  dir: string
  manifestDigest: string
}

/** Folders made by these helpers, removed by `removeTemporaryFolders`. */
const temporaryFolders: string[] = []

export async function temporaryFolder(prefix = 'verify-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  temporaryFolders.push(dir)
  return dir
}

export async function removeTemporaryFolders(): Promise<void> {
  const dirs = temporaryFolders.splice(0)
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
}

/**
 * Releases `tag` through the action (a separate Node process, as on a runner) with three
 * artifacts whose contents depend on the tag, then downloads every asset of the published
 * release through the GitHub API into a fresh folder.
 */
export async function publishRelease(
  world: ReleaseWorld,
  tag: string,
  options: { repository?: string; changeRecord?: string; runId?: string } = {},
): Promise<PublishedRelease> {
  const folder = `build-${tag}`
  await world.write(`${folder}/app-linux-amd64`, Buffer.alloc(64 * 1024, `linux ${tag} `))
  await world.write(`${folder}/app-darwin-arm64`, Buffer.alloc(48 * 1024, `darwin ${tag} `))
  await world.write(`${folder}/docs/index.html`, `<h1>App ${tag}</h1>\n`)
  const changeRecord = `${folder}/change-record.yaml`
  await world.write(
    changeRecord,
    options.changeRecord ?? (await readFile(CHANGE_RECORD_FIXTURE, 'utf8')),
  )
  const result = await world.run(
    {
      tag,
      'subject-path': `${folder}/app-*\n${folder}/docs`,
      'change-record': changeRecord,
      'pseudonymization-key': PSEUDONYMIZATION_KEY,
    },
    {
      ...(options.repository ? { repository: options.repository } : {}),
      ...(options.runId ? { runId: options.runId } : {}),
    },
  )
  if (result.exitCode !== 0) {
    throw new Error(
      `releasing ${tag} failed (${result.exitCode}):\n${result.stdout}${result.stderr}`,
    )
  }
  const manifestDigest = result.outputs['manifest-digest']
  if (!manifestDigest) throw new Error(`releasing ${tag} gave no manifest-digest output`)
  const dir = await temporaryFolder(`release-${tag}-`)
  const { owner, repo } = world.github
  await downloadReleaseAssets(
    createFakeClient(world.github),
    { owner, repo, tag },
    dir,
    world.github.token,
  )
  return { owner, repo, tag, dir, manifestDigest }
}

/**
 * One loopback world and one release published on it for a whole test file: started before its
 * tests, closed (with the temporary folders) after them. Read both through the getters.
 */
export function useWorldWithRelease(tag = 'v1.0.0'): {
  world: () => ReleaseWorld
  release: () => PublishedRelease
} {
  let world: ReleaseWorld | undefined
  let release: PublishedRelease | undefined
  beforeAll(async () => {
    world = await startReleaseWorld()
    release = await publishRelease(world, tag)
  }, 60_000)
  afterAll(async () => {
    await world?.close()
    await removeTemporaryFolders()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the world is not started: call from a test')
    return value
  }
  return { world: () => started(world), release: () => started(release) }
}

/** A fresh copy of a downloaded release, for one test to tamper with. */
export async function copyRelease(release: PublishedRelease): Promise<string> {
  const dir = await temporaryFolder(`tampered-${release.tag}-`)
  await cp(release.dir, dir, { recursive: true })
  return dir
}

export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value))
}

/**
 * Identities are `https://github.com/OWNER/REPO` in the loopback world; a GITHUB_SERVER_URL
 * from the machine running the tests (a GitHub Enterprise runner, say) must not change that.
 */
const HOST_INDEPENDENT: Record<string, string | undefined> = { GITHUB_SERVER_URL: undefined }

function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `main(argv)` in this process with stdout and stderr captured, and `env` overlaid on
 * process.env for the duration of the call.
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const writeOut = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  const overlay = { ...HOST_INDEPENDENT, ...env }
  const saved = Object.fromEntries(Object.keys(overlay).map((name) => [name, process.env[name]]))
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    }
  process.stdout.write = capture(out) as typeof process.stdout.write
  process.stderr.write = capture(err) as typeof process.stderr.write
  for (const [name, value] of Object.entries(overlay)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  try {
    const code = await main(argv)
    const result = { code, stdout: out.join(''), stderr: err.join('') }
    assertNoUnintendedCommands('the CLI', result)
    return result
  } finally {
    process.stdout.write = writeOut
    process.stderr.write = writeErr
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** Runs the CLI as a user does: a separate Node process; resolves with its exit code. */
export function spawnCli(
  entry: string,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [entry, ...argv],
      { env: childEnv({ ...HOST_INDEPENDENT, ...env }), timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') fail(error)
        else {
          try {
            assertNoUnintendedCommands('the CLI', { stdout, stderr })
            done({ code: child.exitCode ?? -1, stdout, stderr })
          } catch (found) {
            fail(found)
          }
        }
      },
    )
  })
}

/** `verify <dir> --repo octo-org/octo-repo --trusted-root <root>` in-process: the human report. */
export function verifyText(dir: string, trustedRootPath: string): Promise<CliResult> {
  return runCli(['verify', dir, '--repo', 'octo-org/octo-repo', '--trusted-root', trustedRootPath])
}

/** `verify <dir> --json` in-process: the exit code and the parsed report. */
export async function verifyJson(
  dir: string,
  args: string[],
): Promise<{ code: number; report: VerificationReport; stderr: string }> {
  const result = await runCli(['verify', dir, '--json', ...args])
  let report: VerificationReport
  try {
    report = JSON.parse(result.stdout) as VerificationReport
  } catch {
    throw new Error(
      `verify --json printed no JSON (exit ${result.code}):\n${result.stdout}${result.stderr}`,
    )
  }
  return { code: result.code, report, stderr: result.stderr }
}

/** The ids of the checks that failed, in report order. */
export function failingChecks(report: VerificationReport): CheckId[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.id)
}

/** Every check's details joined, for matching reasons. */
export function detailsOf(report: VerificationReport, id: CheckId): string {
  const found = report.checks.find((c) => c.id === id)
  if (!found) throw new Error(`the report has no ${id} check`)
  return found.details.join('\n')
}
