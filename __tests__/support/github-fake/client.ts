import { createGitHubClient } from '../../../src/github/index.ts'
import type { GitHubClient } from '../../../src/github/index.ts'
import { silentReporter, type Reporter } from '../../../src/util/reporter.ts'
import type { GitHubFake } from './types.ts'

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
