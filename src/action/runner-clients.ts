// The GitHub client and the OIDC identity every signing action entry builds from the runner's
// environment, built one way.
import * as core from '@actions/core'
import { createGitHubClient, writeIntervalFor } from '../github/index.ts'
import type { GitHubClient } from '../github/index.ts'
import type { ReleaseStore } from '../release/index.ts'
import type { IdentityProvider } from '../sign/index.ts'
import type { Reporter } from '../util/reporter.ts'
import type { RunContext } from '../util/run-context.ts'
import { actionsIdentityProvider } from '../sign/index.ts'
import { actionsReporter } from './reporter.ts'

export function runnerClients(
  token: string,
  apiUrl: string,
): { client: GitHubClient; identity: ReturnType<typeof actionsIdentityProvider> } {
  const client = createGitHubClient({
    token,
    apiUrl,
    reporter: actionsReporter,
    writeIntervalMs: writeIntervalFor(apiUrl),
  })
  const identity = actionsIdentityProvider({
    requestToken: (audience) => core.getIDToken(audience),
    requestUrl: process.env['ACTIONS_ID_TOKEN_REQUEST_URL'],
  })
  return { client, identity }
}

/** The runner's facts and the services built from them, which every signing entry's steps use. */
export interface RunnerServices {
  context: RunContext
  owner: string
  repo: string
  client: GitHubClient
  store: ReleaseStore
  identity: IdentityProvider
  reporter: Reporter
  setOutput(name: string, value: string): void
}
