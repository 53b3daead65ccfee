// A whole loopback world for end-to-end runs of the action: a Sigstore stack and a GitHub fake
// that agree on the repository, its commit and the workflow, plus a workspace to release from.
// Used by the end-to-end tests and by `npm run demo`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runAction } from './action-runner.ts'
import type { ActionRunOptions, ActionRunResult } from './action-runner.ts'
import { startGitHubFake } from './github-fake/index.ts'
import type { GitHubFake, GitHubFakeOptions } from './github-fake/index.ts'
import { startSigstoreStack } from './sigstore-stack.ts'
import type { SigstoreStack, SigstoreStackOptions } from './sigstore-stack.ts'

export const OWNER = 'octo-org'
export const REPO = 'octo-repo'
export const REPOSITORY = `${OWNER}/${REPO}`
export const WORKFLOW_REF = `${REPOSITORY}/.github/workflows/release.yml@refs/heads/main`

export interface ReleaseWorld {
  sigstore: SigstoreStack
  github: GitHubFake
  /** The commit `main` points at (and GITHUB_SHA). */
  sha: string
  workspace: string
  trustedRootPath: string
  /** Writes a file into the workspace (folders made as needed). */
  write(path: string, content: string | Buffer): Promise<string>
  /** Runs the action with this world's environment; inputs are merged over the defaults. */
  run(
    inputs: Record<string, string>,
    options?: Partial<Omit<ActionRunOptions, 'inputs'>>,
  ): Promise<ActionRunResult>
  /** Inputs pointing `sigstore: custom` at this world's stack. */
  sigstoreInputs(services?: { rekor?: boolean; tsa?: boolean }): Record<string, string>
  close(): Promise<void>
}

export interface ReleaseWorldOptions {
  sigstore?: SigstoreStackOptions
  github?: GitHubFakeOptions
}

export async function startReleaseWorld(options: ReleaseWorldOptions = {}): Promise<ReleaseWorld> {
  const github = await startGitHubFake({
    owner: OWNER,
    repo: REPO,
    validateResponses: true,
    ...options.github,
  })
  const sha = github.addCommit({
    message: 'Build 1.0',
    author: {
      name: 'Release Bot',
      email: 'release-bot@users.noreply.example',
      date: '2026-01-01T00:00:00Z',
    },
  })
  github.setRef('refs/heads/main', sha)
  const sigstore = await startSigstoreStack({
    ...options.sigstore,
    claims: {
      repository: REPOSITORY,
      repository_owner: OWNER,
      sub: `repo:${REPOSITORY}:ref:refs/heads/main`,
      workflow_ref: WORKFLOW_REF,
      job_workflow_ref: WORKFLOW_REF,
      sha,
      workflow_sha: sha,
      job_workflow_sha: sha,
      ...options.sigstore?.claims,
    },
  })
  const root = await mkdtemp(join(tmpdir(), 'release-world-'))
  const workspace = join(root, 'workspace')
  await mkdir(workspace, { recursive: true })
  const trustedRootPath = await sigstore.writeTrustedRoot(root)

  const world: ReleaseWorld = {
    sigstore,
    github,
    sha,
    workspace,
    trustedRootPath,
    async write(path, content) {
      const full = join(workspace, path)
      await mkdir(dirname(full), { recursive: true })
      await writeFile(full, content)
      return full
    },
    sigstoreInputs(services = { rekor: true, tsa: true }) {
      return {
        sigstore: 'custom',
        'fulcio-url': sigstore.fulcioURL,
        ...(services.rekor ? { 'rekor-url': sigstore.rekorURL } : {}),
        ...(services.tsa ? { 'tsa-url': sigstore.tsaURL } : {}),
      }
    },
    run(inputs, runOptions = {}) {
      return runAction({
        workspace,
        repository: REPOSITORY,
        sha,
        apiUrl: github.url,
        oidc: { requestURL: sigstore.oidcRequestURL, requestToken: sigstore.oidcRequestToken },
        ...runOptions,
        inputs: {
          'github-token': github.token,
          ...world.sigstoreInputs(),
          ...inputs,
        },
        extraEnv: {
          SOURCE_DATE_EPOCH: '1767225600',
          ...runOptions.extraEnv,
        },
      })
    },
    async close() {
      await Promise.all([github.close(), sigstore.close()])
      await rm(root, { recursive: true, force: true })
    },
  }
  return world
}
