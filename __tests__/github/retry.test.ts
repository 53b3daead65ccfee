import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IncompleteResponseError, expectObject } from '../../src/github/errors.ts'
import { reread, retry } from '../../src/github/retry.ts'
import { json, startLoopback } from './loopback.ts'
import type { Loopback } from './loopback.ts'

class Hiccup extends Error {}
const onHiccup = (error: unknown) => error instanceof Hiccup

describe('retry', () => {
  it('tries again until the task succeeds, numbering the attempts from 1', async () => {
    const attempts: number[] = []
    const result = await retry(
      async (attempt) => {
        attempts.push(attempt)
        if (attempt < 3) throw new Hiccup(`attempt ${attempt}`)
        return 'done'
      },
      { attempts: 5, delayMs: 0, retryable: onHiccup },
    )
    expect(result).toBe('done')
    expect(attempts).toEqual([1, 2, 3])
  })

  it('stops at the first error that is not retryable', async () => {
    const attempts: number[] = []
    const answer = new Error('a real answer')
    const error = await retry(
      async (attempt) => {
        attempts.push(attempt)
        throw answer
      },
      { attempts: 5, delayMs: 0, retryable: onHiccup },
    ).catch((e: unknown) => e)
    expect(error).toBe(answer)
    expect(attempts).toEqual([1])
  })

  it('rethrows the last error once the attempts are used up', async () => {
    const attempts: number[] = []
    const error = await retry(
      async (attempt) => {
        attempts.push(attempt)
        throw new Hiccup(`attempt ${attempt}`)
      },
      { attempts: 3, delayMs: 0, retryable: onHiccup },
    ).catch((e: unknown) => e)
    expect((error as Error).message).toBe('attempt 3')
    expect(attempts).toEqual([1, 2, 3])
  })

  it('waits longer before each attempt: delayMs times the attempt that failed', async () => {
    const starts: number[] = []
    await retry(
      async (attempt) => {
        starts.push(performance.now())
        if (attempt < 3) throw new Hiccup()
      },
      { attempts: 3, delayMs: 40, retryable: onHiccup },
    )
    const [first, second, third] = starts as [number, number, number]
    // Timers may fire a little early or late; the waits are 40 ms, then 80 ms.
    expect(second - first).toBeGreaterThanOrEqual(35)
    expect(third - second).toBeGreaterThanOrEqual(75)
  })
})

describe('reread over a loopback server', () => {
  let server: Loopback
  let cutOffs = 0
  beforeAll(async () => {
    server = await startLoopback(() =>
      cutOffs-- > 0 ? { status: 200, body: '' } : json({ sha: 'a'.repeat(40) }),
    )
  })
  afterAll(async () => {
    await server.close()
  })

  const readCommit = () =>
    reread(async () =>
      expectObject(
        (await server.client().rest.repos.getCommit({ owner: 'o', repo: 'r', ref: 'main' })).data,
        'GET commit',
      ),
    )

  it('asks again after a cut-off answer', async () => {
    cutOffs = 2
    server.requests.length = 0
    expect((await readCommit()).sha).toBe('a'.repeat(40))
    expect(server.requests).toHaveLength(3)
  })

  it('gives up after three cut-off answers', async () => {
    cutOffs = 5
    server.requests.length = 0
    const error = await readCommit().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IncompleteResponseError)
    expect(server.requests).toHaveLength(3)
  })
})
