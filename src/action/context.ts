import { readFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '../util/errors.ts'
import type { RunContext } from '../util/run-context.ts'

/** What the triggering event says about the repository, when the payload has it. */
export interface RepositoryFacts {
  visibility?: 'public' | 'private' | 'internal'
  ownerType?: 'User' | 'Organization'
}

function env(name: string, fallback?: string): string {
  const value = process.env[name]
  if (value) return value
  if (fallback !== undefined) return fallback
  throw new InputError(
    name,
    'is not set. The action reads the standard GitHub Actions environment; run it as a workflow step.',
  )
}

/** The run as the runner describes it in `GITHUB_*` and `RUNNER_*` variables. */
export function readRunContext(): RunContext {
  const workspace = env('GITHUB_WORKSPACE', process.cwd())
  const runnerTemp = process.env['RUNNER_TEMP']
  const tempDir = mkdtempSync(join(runnerTemp || tmpdir(), 'immutable-release-'))
  return {
    serverUrl: env('GITHUB_SERVER_URL', 'https://github.com').replace(/\/+$/, ''),
    apiUrl: env('GITHUB_API_URL', 'https://api.github.com').replace(/\/+$/, ''),
    repository: env('GITHUB_REPOSITORY'),
    repositoryId: process.env['GITHUB_REPOSITORY_ID'],
    repositoryOwnerId: process.env['GITHUB_REPOSITORY_OWNER_ID'],
    sha: env('GITHUB_SHA'),
    ref: env('GITHUB_REF', ''),
    workflowRef: env('GITHUB_WORKFLOW_REF', ''),
    eventName: env('GITHUB_EVENT_NAME', ''),
    runId: env('GITHUB_RUN_ID'),
    runAttempt: env('GITHUB_RUN_ATTEMPT', '1'),
    workspace,
    tempDir,
  }
}

/** Visibility and owner type from the event payload; the API is asked only when it lacks them. */
export function readRepositoryFacts(): RepositoryFacts {
  const path = process.env['GITHUB_EVENT_PATH']
  if (!path) return {}
  try {
    const payload = JSON.parse(readFileSync(path, 'utf8')) as {
      repository?: { visibility?: string; private?: boolean; owner?: { type?: string } }
    }
    const repository = payload.repository
    if (!repository) return {}
    const visibility =
      repository.visibility === 'public' ||
      repository.visibility === 'private' ||
      repository.visibility === 'internal'
        ? repository.visibility
        : repository.private === true
          ? 'private'
          : repository.private === false
            ? 'public'
            : undefined
    const ownerType =
      repository.owner?.type === 'User' || repository.owner?.type === 'Organization'
        ? repository.owner.type
        : undefined
    return { visibility, ownerType }
  } catch {
    return {}
  }
}
