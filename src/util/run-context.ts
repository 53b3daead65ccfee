/**
 * What a capability needs to know about the workflow run, as plain data. The action layer
 * fills it from the runner's `GITHUB_*` environment; the CLI and tests build it themselves.
 */
export interface RunContext {
  /** `https://github.com` or a GitHub Enterprise Server URL. */
  serverUrl: string
  /** `https://api.github.com` or `https://HOST/api/v3`. */
  apiUrl: string
  /** `owner/name`. */
  repository: string
  repositoryId?: string
  repositoryOwnerId?: string
  /** Full commit SHA the run built. */
  sha: string
  /** `refs/heads/main`, `refs/tags/v1` ... */
  ref: string
  /** `owner/repo/.github/workflows/release.yml@refs/heads/main` (GITHUB_WORKFLOW_REF). */
  workflowRef: string
  /** GITHUB_EVENT_NAME. */
  eventName: string
  runId: string
  runAttempt: string
  /** Workspace root: subject paths are resolved and confined here. */
  workspace: string
  /** Folder for files the action writes (RUNNER_TEMP or a temporary folder). */
  tempDir: string
}

export function runUrl(context: RunContext): string {
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/attempts/${context.runAttempt}`
}
