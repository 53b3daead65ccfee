import { retry } from '../util/retry.ts'
import type { RetryPolicy } from '../util/retry.ts'
import { IncompleteResponseError } from './errors.ts'

export { retry }
export type { RetryPolicy }

/** Reading again is harmless; three tries ride out a cut-off answer. */
const REREAD: RetryPolicy = {
  attempts: 3,
  delayMs: 0,
  retryable: (error) => error instanceof IncompleteResponseError,
}

/** Repeats a read whose answer arrived cut off (IncompleteResponseError). */
export function reread<T>(read: () => Promise<T>): Promise<T> {
  return retry(read, REREAD)
}
