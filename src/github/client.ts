import { getOctokit } from '@actions/github'
import { GitHub, defaults as actionsDefaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'
import type { Reporter } from '../util/reporter.ts'
import { isFileBody } from './body.ts'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  /** A token; empty for anonymous access (reading public releases). */
  token: string
  /** REST base URL: `https://api.github.com`, `https://HOST/api/v3`, or a loopback fake. */
  apiUrl: string
  reporter: Reporter
  /** How many times a failed request is retried (server errors, rate limits). */
  retries?: number
  /**
   * Milliseconds before an API request (not an upload, whose time grows with its size) is
   * abandoned; the abandoned request then counts as a server error and is retried. Octokit has
   * no timeout of its own, so without one a hung connection would last until the job's limit.
   */
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

/** Default for `requestTimeoutMs`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000

type Fetch = typeof globalThis.fetch

/**
 * Wraps the proxy-aware fetch of @actions/github: a `FileBody` is sent as a fresh stream of its
 * file on every call (a request the throttling or retry plugin repeats sends the whole file
 * again), and every request without a streamed body is aborted when its answer has not begun
 * within `timeoutMs`. The limit ends when the answer's headers arrive: an upload's or a
 * download's time grows with its size, and a body that stalls is bounded by undici's own idle
 * limit between chunks (`bodyTimeout`, 300 s).
 */
function fetchWithTimeout(base: Fetch, timeoutMs: number): Fetch {
  return (input, init = {}) => {
    const body = init.body as unknown
    if (isFileBody(body)) return base(input, streamedInit(init, body.stream()))
    const streamed =
      body !== undefined &&
      body !== null &&
      typeof body === 'object' &&
      !ArrayBuffer.isView(body) &&
      !(body instanceof ArrayBuffer)
    if (streamed) return base(input, streamedInit(init, init.body))
    return answerWithin(base, input, init, timeoutMs)
  }
}

/** `base(input, init)`, aborted when no answer has begun within `timeoutMs`. */
async function answerWithin(
  base: Fetch,
  input: Parameters<Fetch>[0],
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  )
  const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
  try {
    return await base(input, { ...init, signal })
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The request options of a streamed body. `redirect: 'error'`: with any other redirect mode
 * undici's fetch clones the request to be able to follow a redirect, and cloning tees the body
 * stream; nothing reads the second branch, so it queued every chunk sent, and a 1 GiB upload
 * held 1 GiB (docs/performance.md). A streamed body cannot be sent again to a redirect's target
 * anyway, and GitHub answers uploads without redirects.
 */
function streamedInit(init: RequestInit, body: RequestInit['body']): RequestInit {
  return { ...init, body, redirect: 'error', duplex: 'half' } as RequestInit
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
  const clientOptions = {
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    // plugin-retry reads its settings from `retry`; a `request.retries` would make it retry
    // every failure, 404 and 422 included.
    retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerSecond },
    // Keep @actions/github's proxy agent and fetch: a `request` option replaces them whole.
    request: {
      ...actionsDefaults.request,
      fetch: fetchWithTimeout(
        (actionsDefaults.request?.fetch as Fetch | undefined) ?? globalThis.fetch,
        options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      ),
    },
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
  }
  if (options.token) return getOctokit(options.token, clientOptions, retry, throttling)
  // getOctokit insists on a token; public releases can be read without one.
  const AnonymousClient = GitHub.plugin(retry, throttling)
  return new AnonymousClient(clientOptions) as GitHubClient
}

/** GitHub.com's REST API, whose documented pace for content-creating requests is one a second. */
const GITHUB_COM_API = 'https://api.github.com'

/**
 * Least milliseconds between two writes for the server at `apiUrl`: 1000 on GitHub.com, as
 * GitHub documents to stay clear of secondary rate limits; 0 elsewhere (GHES, a loopback fake),
 * where the throttling plugin still waits out any rate-limit answer the server gives.
 */
export function writeIntervalFor(apiUrl: string): number {
  return apiUrl.replace(/\/+$/, '').toLowerCase() === GITHUB_COM_API ? 1000 : 0
}

/** The REST base URL the client talks to, for naming resources in error reports. */
export function apiBaseUrl(client: GitHubClient): string {
  return String(client.request.endpoint.DEFAULTS.baseUrl)
}
