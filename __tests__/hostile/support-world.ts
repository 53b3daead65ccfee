// The world the hostile tests release into: one Sigstore stack (behind a fault proxy) shared by
// a test file, a fresh GitHub fake per scenario, fixed artifacts, and the judge that decides
// whether what a run left behind keeps the promise: a complete, verifiable release, or nothing
// visible and an error that says why.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { hashBytes } from '../../src/util/digest.ts'
import { verifyReleaseDirectory } from '../../src/verify/index.ts'
import { RELEASE_METADATA_FILES } from '../../src/util/release-files.ts'
import { startGitHubFake } from '../support/github-fake/index.ts'
import type { GitHubFake, GitHubFakeOptions } from '../support/github-fake/index.ts'
import { OWNER, REPO, REPOSITORY, WORKFLOW_REF } from '../support/release-world.ts'
import { runnerEnvironment } from '../support/action-runner.ts'
import { startSigstoreStack } from '../support/sigstore-stack.ts'
import type { SigstoreStack } from '../support/sigstore-stack.ts'
import { startSigstoreFaultProxy } from './support-sigstore-proxy.ts'
import type { SigstoreFaultProxy } from './support-sigstore-proxy.ts'

/** The commit every fake's `main` points at, so one stack's token claims fit every fake. */
export const HOSTILE_SHA = '5e1ea5e0c0ffee00ba5eba11decafbad00d15ea5'
export const SIGNER_WORKFLOW = `${REPOSITORY}/.github/workflows/release.yml`
export { OWNER, REPO, REPOSITORY }

/** The artifacts every scenario releases (`subject-path: dist/*`). */
export const ARTIFACTS: Record<string, Buffer> = {
  'widget-linux-amd64': Buffer.alloc(96 * 1024, 0x5a),
  'widget.txt': Buffer.from('widget 1.0\n'),
}
export const EXPECTED_ASSETS = [...Object.keys(ARTIFACTS), ...RELEASE_METADATA_FILES].sort()

/** What judging a run needs to know about the world it ran in. */
export interface JudgeContext {
  trustedRoot: unknown
  /** The commit the tag must point at. */
  commitSha: string
  /** A folder for downloads. */
  scratchDir: string
  /** Asset names the release must hold, sorted. */
  expectedAssets: string[]
}

export interface HostileWorld {
  judge: JudgeContext
  stack: SigstoreStack
  proxy: SigstoreFaultProxy
  workspace: string
  root: string
  /** A fresh GitHub fake holding the commit and `main`. */
  newGitHub(options?: GitHubFakeOptions): Promise<GitHubFake>
  /** The runner environment of one action run (as `action-runner.ts` builds it). */
  runnerEnv(fake: GitHubFake, run: RunSettings): Promise<Record<string, string>>
  close(): Promise<void>
}

export interface RunSettings {
  inputs: Record<string, string>
  runId?: string
  runAttempt?: string
  /** OIDC through the fault proxy (default) or straight to the stack. */
  direct?: boolean
  extraEnv?: Record<string, string>
}

export async function startHostileWorld(): Promise<HostileWorld> {
  const stack = await startSigstoreStack({
    claims: {
      repository: REPOSITORY,
      repository_owner: OWNER,
      sub: `repo:${REPOSITORY}:ref:refs/heads/main`,
      workflow_ref: WORKFLOW_REF,
      job_workflow_ref: WORKFLOW_REF,
      sha: HOSTILE_SHA,
      workflow_sha: HOSTILE_SHA,
      job_workflow_sha: HOSTILE_SHA,
    },
  })
  const proxy = await startSigstoreFaultProxy(stack)
  const root = await mkdtemp(join(tmpdir(), 'hostile-'))
  const workspace = join(root, 'workspace')
  for (const [name, bytes] of Object.entries(ARTIFACTS)) {
    const file = join(workspace, 'dist', name)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, bytes)
  }
  const fakes: GitHubFake[] = []
  let runs = 0
  return {
    judge: {
      trustedRoot: stack.trustedRoot,
      commitSha: HOSTILE_SHA,
      scratchDir: root,
      expectedAssets: EXPECTED_ASSETS,
    },
    stack,
    proxy,
    workspace,
    root,
    async newGitHub(options = {}) {
      const fake = await startGitHubFake({
        owner: OWNER,
        repo: REPO,
        validateResponses: true,
        ...options,
      })
      fake.addCommit({
        sha: HOSTILE_SHA,
        message: 'Build 1.0',
        author: {
          name: 'Release Bot',
          email: 'release-bot@users.noreply.example',
          date: '2026-01-01T00:00:00Z',
        },
      })
      fake.setRef('refs/heads/main', HOSTILE_SHA)
      fakes.push(fake)
      return fake
    },
    async runnerEnv(fake, run) {
      const runnerTemp = join(root, `runner-${++runs}`)
      await mkdir(runnerTemp, { recursive: true })
      const outputFile = join(runnerTemp, 'output.txt')
      const summaryFile = join(runnerTemp, 'summary.md')
      const eventFile = join(runnerTemp, 'event.json')
      await writeFile(outputFile, '')
      await writeFile(summaryFile, '')
      // The payload names the repository's visibility, as a real event does.
      await writeFile(
        eventFile,
        JSON.stringify({ repository: { visibility: 'public', owner: { type: 'Organization' } } }),
      )
      const env: Record<string, string> = {
        ...runnerEnvironment({
          workspace,
          repository: REPOSITORY,
          sha: HOSTILE_SHA,
          apiUrl: fake.url,
          runId: run.runId ?? '1001',
          runAttempt: run.runAttempt ?? '1',
          files: { output: outputFile, summary: summaryFile, event: eventFile },
          runnerTemp,
        }),
        ACTIONS_ID_TOKEN_REQUEST_URL: run.direct ? stack.oidcRequestURL : proxy.oidcRequestURL,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: stack.oidcRequestToken,
        SOURCE_DATE_EPOCH: '1767225600',
        ...run.extraEnv,
      }
      const signing = run.direct ? stack : proxy
      const inputs: Record<string, string> = {
        'github-token': fake.token,
        'subject-path': 'dist/*',
        sigstore: 'custom',
        'fulcio-url': signing.fulcioURL,
        'rekor-url': signing.rekorURL,
        'tsa-url': signing.tsaURL,
        ...run.inputs,
      }
      for (const [name, value] of Object.entries(inputs)) {
        env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
      }
      return env
    },
    async close() {
      await Promise.all(fakes.map((fake) => fake.close()))
      await proxy.close()
      await stack.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}

export type Outcome = 'published' | 'clean-failure' | 'VIOLATION'

export interface Verdict {
  outcome: Outcome
  /** Why it is a violation (empty otherwise). */
  problems: string[]
  /** The error the action reported, when it failed. */
  error?: string
}

/** Everything visible on the fake: tag refs, releases (drafts included), assets. */
export function visibleState(fake: GitHubFake): {
  tagRefs: string[]
  releases: { id: number; tag: string; draft: boolean }[]
  assets: number
} {
  return {
    tagRefs: [...fake.state.refs.keys()].filter((ref) => ref.startsWith('refs/tags/')).sort(),
    releases: [...fake.state.releases.values()].map((r) => ({
      id: r.release.id,
      tag: r.release.tag_name,
      draft: r.release.draft,
    })),
    assets: fake.state.assets.size,
  }
}

/**
 * Problems with the published release of `tag` (empty when it is complete and verifies):
 * the only release of the tag, published, on an annotated tag at the commit, holding exactly
 * the expected assets, and verified offline from the downloaded bytes, or, given
 * `sameBytesAs`, byte for byte the files of a release that was verified so.
 */
export async function releaseProblems(
  world: { judge: JudgeContext },
  fake: GitHubFake,
  tag: string,
  sameBytesAs?: Map<string, string>,
): Promise<string[]> {
  const { judge } = world
  const problems: string[] = []
  const releases = [...fake.state.releases.values()].filter((r) => r.release.tag_name === tag)
  if (releases.length !== 1) return [`${releases.length} releases use ${tag}`]
  const stored = releases[0]!
  if (stored.release.draft) problems.push(`the release of ${tag} is still a draft`)
  const ref = fake.state.refs.get(`refs/tags/${tag}`)
  const tagObject = ref ? fake.state.tagObjects.get(ref) : undefined
  if (!ref) problems.push(`tag ${tag} does not exist`)
  else if (tagObject?.object.sha !== judge.commitSha)
    problems.push(`tag ${tag} is not an annotated tag of ${judge.commitSha}`)
  const assets = fake.assetsOf(stored.release.id)
  const names = assets.map((a) => a.name).sort()
  if (JSON.stringify(names) !== JSON.stringify(judge.expectedAssets)) {
    problems.push(`assets ${names.join(', ')}; expected ${judge.expectedAssets.join(', ')}`)
  }
  for (const a of assets) {
    if (a.state !== 'uploaded') problems.push(`asset ${a.name} is in state ${a.state}`)
  }
  if (problems.length > 0) return problems

  const dir = await mkdtemp(join(judge.scratchDir, 'download-'))
  try {
    for (const asset of assets) {
      const response = await fetch(asset.browser_download_url)
      if (!response.ok) {
        problems.push(`downloading ${asset.name}: HTTP ${response.status}`)
        continue
      }
      const bytes = Buffer.from(await response.arrayBuffer())
      if (sameBytesAs && sameBytesAs.get(asset.name) !== hashBytes(bytes)) {
        problems.push(`${asset.name} as downloaded differs from the signed file`)
      }
      await writeFile(join(dir, asset.name), bytes)
    }
    if (problems.length > 0 || sameBytesAs) return problems
    const report = await verifyReleaseDirectory({
      dir,
      repo: REPOSITORY,
      tag,
      signerWorkflow: SIGNER_WORKFLOW,
      trustedRoot: judge.trustedRoot,
    })
    if (!report.verified) {
      for (const c of report.checks.filter((c) => !c.ok)) {
        problems.push(`verify ${c.id}: ${c.details.join('; ')}`)
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return problems
}

/**
 * Judges one run of the action that released `tag` into `fake`: published (exit 0, the
 * release complete and verified, nothing else visible) or a clean failure (exit 1, an error
 * that says why, and no tag, release or asset at all). Anything else is a violation.
 */
export async function judgeRun(
  world: { judge: JudgeContext },
  fake: GitHubFake,
  tag: string,
  run: { exitCode: number | null; errors: string[] },
  sameBytesAs?: Map<string, string>,
): Promise<Verdict> {
  const visible = visibleState(fake)
  const error = run.errors.join('\n') || undefined
  if (run.exitCode === 0) {
    const problems = await releaseProblems(world, fake, tag, sameBytesAs)
    if (visible.tagRefs.length !== 1) problems.push(`tag refs: ${visible.tagRefs.join(', ')}`)
    if (visible.releases.length !== 1) problems.push(`${visible.releases.length} releases`)
    return { outcome: problems.length === 0 ? 'published' : 'VIOLATION', problems }
  }
  const problems: string[] = []
  if (run.exitCode !== 1) problems.push(`exit code ${run.exitCode}`)
  if (!error || error.trim().length < 20) problems.push(`no clear error (${error ?? 'none'})`)
  if (visible.tagRefs.length > 0) problems.push(`left tag refs ${visible.tagRefs.join(', ')}`)
  if (visible.releases.length > 0) {
    const published = visible.releases.some((r) => !r.draft)
    problems.push(
      published
        ? `failed (${error}) although a release was published`
        : `left ${visible.releases.length} draft(s)`,
    )
  }
  if (visible.assets > 0) problems.push(`left ${visible.assets} asset(s)`)
  return { outcome: problems.length === 0 ? 'clean-failure' : 'VIOLATION', problems, error }
}
