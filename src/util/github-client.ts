import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'
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
  /**
   * Least time between the starts of two writes (POST, PATCH, PUT, DELETE). GitHub asks for at
   * least one second to stay clear of secondary rate limits, which is the default; the writes
   * themselves may still overlap (concurrent uploads).
   */
  writeIntervalMs?: number
  /**
   * Milliseconds per second of `retry-after` and of retry backoff. 1000 on GitHub; tests against
   * a loopback fake scale the waits down without changing which requests are retried.
   */
  millisecondsPerRetrySecond?: number
}

/** Client errors that are answers, not hiccups: retrying them would only repeat the answer. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451]

/** Longest `retry-after` the action waits for before it gives up (seconds). */
const MAX_RETRY_AFTER_S = 120

/**
 * An Octokit client with GitHub's recommended retry and throttling behaviour: server errors
 * are retried with backoff, primary and secondary rate limits wait for `retry-after` (within
 * bounds) instead of failing the release halfway.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const retries = options.retries ?? 3
  const msPerSecond = options.millisecondsPerRetrySecond ?? 1000
  const { reporter } = options
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      const retrying = retryCount < retries && retryAfter <= MAX_RETRY_AFTER_S
      reporter.warning(
        `GitHub API ${kind} hit on ${request.method} ${request.url}; ${
          retrying ? `retrying after ${retryAfter}s` : 'giving up'
        }`,
      )
      return retrying
    }
  return getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      // plugin-retry reads its settings from `retry`; a `request.retries` would make it retry
      // every failure, 404 and 422 included.
      retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerSecond },
      ...(options.requestTimeoutMs ? { request: { timeout: options.requestTimeoutMs } } : {}),
      throttle: {
        retryAfterBaseValue: msPerSecond,
        ...(options.writeIntervalMs !== undefined
          ? {
              write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeIntervalMs }),
              notifications: new Bottleneck.Group({
                maxConcurrent: 1,
                minTime: options.writeIntervalMs,
              }),
            }
          : {}),
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
      },
    },
    retry,
    throttling,
  )
}
