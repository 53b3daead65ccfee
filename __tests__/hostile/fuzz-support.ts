import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import fc from 'fast-check'
import { afterEach, expect } from 'vitest'
import { InputError } from '../../src/util/errors.ts'

/**
 * Shared plumbing for the fuzz suites. Every property runs through `checkProperty`, which
 * turns a fast-check failure into a message that says how to replay it:
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> vitest run __tests__/hostile/fuzz-<name>.test.ts -t '<test>'
 *
 * (the path replays the shrunk counterexample directly; `-t` keeps it to the one property).
 * `npm test` (and so CI) uses a fixed seed, so a change is judged on the same inputs every
 * time and a red run is never luck. `npm run fuzz` (FUZZ_SEED=random) draws fresh seeds to keep
 * exploring, and FUZZ_RUNS=<n> multiplies every property's number of runs.
 */

/** The seed of `npm test`: any fixed number; changing it is changing the test corpus. */
const DEFAULT_SEED = 20261124

const replaySeed =
  process.env.FUZZ_SEED === 'random'
    ? undefined
    : process.env.FUZZ_SEED === undefined
      ? DEFAULT_SEED
      : Number(process.env.FUZZ_SEED)
const replayPath = process.env.FUZZ_PATH
const runsFactor = Math.max(1, Number(process.env.FUZZ_RUNS ?? '1') || 1)

export interface CheckOptions {
  numRuns: number
  /** Per-run bound for asynchronous properties; a run taking longer fails the property. */
  timeoutMs?: number
}

/** `fc.assert` with reproducible seeds, a per-run time bound, and a replay hint on failure. */
export async function checkProperty<Ts>(
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  options: CheckOptions,
): Promise<void> {
  const seed = replaySeed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0
  const parameters = {
    numRuns: options.numRuns * runsFactor,
    seed,
    ...(replayPath !== undefined ? { path: replayPath } : {}),
    ...(options.timeoutMs !== undefined ? { plugins: [fc.timeout(options.timeoutMs)] } : {}),
  } as fc.Parameters<Ts>
  try {
    await fc.assert(property, parameters)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const pathMatch = /path: "([^"]*)"/.exec(message)
    const replay = `FUZZ_SEED=${seed}${pathMatch ? ` FUZZ_PATH=${pathMatch[1]}` : ''}`
    const { testPath, currentTestName } = expect.getState()
    const file = testPath ? path.relative(process.cwd(), testPath) : '<this file>'
    const only = currentTestName ? ` -t ${JSON.stringify(currentTestName.split(' > ').at(-1))}` : ''
    throw new Error(`${message}\n\nReplay with: ${replay} vitest run ${file}${only}`, {
      cause: error,
    })
  }
}

/**
 * The error a hostile input may produce: an InputError naming `input`, with a message that
 * starts with the input's name and says something beyond it. A TypeError, RangeError or any
 * other crash fails the property with the crash itself, so the stack shows where it broke.
 */
export function expectInputError(error: unknown, input: string): asserts error is InputError {
  if (!(error instanceof InputError)) throw error
  expect(error.input).toBe(input)
  expect(error.message.startsWith(`Input '${input}': `)).toBe(true)
  expect(error.message.length).toBeGreaterThan(`Input '${input}': `.length + 10)
}

/** Settles `work`, failing after `ms` with a message naming `what`. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `work`, sampling the resident set size meanwhile; returns its peak growth in bytes. */
export async function peakRssGrowth<T>(
  work: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; growth: number }> {
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 10)
  let result: PromiseSettledResult<T>
  try {
    result = { status: 'fulfilled', value: await work() }
  } catch (reason) {
    result = { status: 'rejected', reason }
  } finally {
    clearInterval(sampler)
  }
  peak = Math.max(peak, process.memoryUsage().rss)
  return { result, growth: peak - baseline }
}

const made: string[] = []

/** A fresh temporary folder, removed after the test. */
export async function tempDir(prefix = 'fuzz-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

export type IsolatedOutcome =
  | { status: 'returned'; value: unknown }
  | { status: 'threw'; name: string; message: string; input?: string }
  | { status: 'timed-out' }
  | { status: 'out-of-memory'; message: string }

/**
 * Calls the real `parseChangeRecordText` in a worker thread with a small heap and a deadline
 * per call, so that a parser that loops or balloons fails the property (and the worker is
 * replaced) instead of hanging or killing the test process.
 */
export class IsolatedChangeRecordParser {
  readonly #heapMb: number
  #worker: Worker | undefined
  #nextId = 0

  constructor({ heapMb = 64 } = {}) {
    this.#heapMb = heapMb
  }

  async parse(text: string, timeoutMs = 5_000): Promise<IsolatedOutcome> {
    const worker = this.#ensureWorker()
    const id = this.#nextId++
    const outcome = await new Promise<IsolatedOutcome>((resolve) => {
      const finish = (result: IsolatedOutcome): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('error', onError)
        resolve(result)
      }
      const onMessage = (message: IsolatedOutcome & { id: number }): void => {
        if (message.id !== id) return
        const { id: _id, ...result } = message
        finish(result)
      }
      const onError = (error: Error & { code?: string }): void =>
        finish(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { status: 'out-of-memory', message: error.message }
            : { status: 'threw', name: `worker ${error.name}`, message: error.message },
        )
      const timer = setTimeout(() => finish({ status: 'timed-out' }), timeoutMs)
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.postMessage({ id, text })
    })
    if (outcome.status !== 'returned' && outcome.status !== 'threw') await this.close()
    return outcome
  }

  async close(): Promise<void> {
    const worker = this.#worker
    this.#worker = undefined
    await worker?.terminate()
  }

  #ensureWorker(): Worker {
    this.#worker ??= new Worker(new URL('./fuzz-support-worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.#heapMb, maxYoungGenerationSizeMb: 16 },
    })
    return this.#worker
  }
}
