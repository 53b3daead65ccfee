import { createGitHubClient } from '../../../src/util/github-client.ts'
import type { GitHubClient } from '../../../src/util/github-client.ts'
import { silentReporter, type Reporter } from '../../../src/util/reporter.ts'
import type { GitHubFake } from './fake.ts'

/**
 * The action's own client (`createGitHubClient`: retry and throttling plugins, GitHub's retry
 * rules), pointed at the fake, with the waits scaled down: retry backoff and `retry-after`
 * count in milliseconds instead of seconds, and writes are not spaced one second apart. Keeps
 * retry tests fast without changing which requests are retried.
 */
export function createFakeClient(
  fake: GitHubFake,
  options: { reporter?: Reporter; retries?: number } = {},
): GitHubClient {
  return createGitHubClient({
    token: fake.token,
    apiUrl: fake.url,
    reporter: options.reporter ?? silentReporter,
    retries: options.retries ?? 3,
    writeIntervalMs: 0,
    millisecondsPerRetrySecond: 5,
  })
}
