// The GitHub client and the OIDC identity every signing action entry builds from the runner's
// environment, built one way.
import * as core from '@actions/core'
import { createGitHubClient, writeIntervalFor } from '../github/index.ts'
import type { GitHubClient } from '../github/index.ts'
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
