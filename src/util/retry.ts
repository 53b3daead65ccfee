/** How often, and after how long, a failed task is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number
  /** Wait before attempt n+1 is `delayMs * n`: linear, enough for brief hiccups. */
  delayMs: number
  retryable(error: unknown): boolean
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()

/**
 * Runs `task` until it succeeds, its error is not retryable, or the attempts are used up; the
 * last error is rethrown. One loop for every caller: GitHub reads and writes the client's retry
 * plugin cannot see (cut-off answers, lost answers), and the OIDC token request.
 */
export async function retry<T>(
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt)
    } catch (error) {
      if (attempt >= policy.attempts || !policy.retryable(error)) throw error
      await sleep(policy.delayMs * attempt)
    }
  }
}
