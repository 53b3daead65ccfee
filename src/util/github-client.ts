import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Reporter } from './reporter.ts'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST base URL: `https://api.github.com`, `https://HOST/api/v3`, or a loopback fake. */
  apiUrl: string
  reporter: Reporter
  /** How many times a failed request is retried (server errors, rate limits). */
  retries?: number
  /** Milliseconds before a request is abandoned. */
  requestTimeoutMs?: number
}

/**
 * An Octokit client with GitHub's recommended retry and throttling behaviour: server errors
 * are retried with backoff, primary and secondary rate limits wait for `retry-after` (within
 * bounds) instead of failing the release halfway.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const retries = options.retries ?? 3
  const { reporter } = options
  return getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      request: {
        retries,
        // Never retry client errors other than rate limits: a 422 is an answer, not a hiccup.
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
        ...(options.requestTimeoutMs ? { timeout: options.requestTimeoutMs } : {}),
      },
      throttle: {
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          reporter.warning(
            `GitHub API rate limit hit on ${request.method} ${request.url}; retrying after ${retryAfter}s`,
          )
          return retryCount < retries && retryAfter <= 120
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          reporter.warning(
            `GitHub API secondary rate limit hit on ${request.method} ${request.url}; retrying after ${retryAfter}s`,
          )
          return retryCount < retries && retryAfter <= 120
        },
      },
    },
    retry,
    throttling,
  )
}
