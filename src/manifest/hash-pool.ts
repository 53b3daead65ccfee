import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { HardLinked } from './hard-links.ts'

export type HashAlgorithm = 'sha256' | 'sha512'

export interface HashRequest {
  path: string
  /** Expected size, when known; schedules the largest files first and batches small ones. */
  size?: number
  algorithms: readonly HashAlgorithm[]
  /**
   * Device and inode the listing saw, when it stat-ed the file: a different file at the path
   * when it is opened (swapped after the listing) is refused with `ECHANGED`.
   */
  identity?: FileIdentity
}

export interface FileIdentity {
  dev: number
  ino: number
}

export interface HashOutcome {
  size: number
  digests: Partial<Record<HashAlgorithm, string>>
  /**
   * Set when the file could not be read; `code` is the errno code when there is one, `ELOOP`
   * for a symbolic link (never followed), `ENOTFILE` for anything but a regular file and
   * `ECHANGED` for a file that is not the one `identity` names.
   */
  error?: { code: string; message: string }
  /** Set when the file has other names (hard links), which may lie outside the workspace. */
  links?: HardLinked
}

export interface HashPoolOptions {
  /** Worker threads; defaults to `os.availableParallelism()`. */
  concurrency?: number
  /** Bytes per read. */
  readSize?: number
}

/** Measured on 1 GiB: reads of 1–4 MiB hash as fast as `openssl dgst`; see docs/performance.md. */
export const DEFAULT_READ_SIZE = 4 * 1024 * 1024
/** Files below this size travel in batches, so that messaging does not dominate tiny files. */
const BATCH_BYTES = 8 * 1024 * 1024
const BATCH_FILES = 256

/*
 * The worker is plain JavaScript using only Node built-ins, started with `eval: true`: that
 * runs the same from TypeScript sources under vitest, from type-stripped sources on Node 24,
 * and from a single Rollup bundle, none of which can point a Worker at a stable file path.
 * It loads built-ins with process.getBuiltinModule, which works whether Node evaluates it as
 * CommonJS or, when the parent runs with --input-type=module, as an ES module.
 * A file that fits in two reads is read synchronously: the worker has nothing else to do, and
 * a thread-pool round trip would cost more than the read. For a larger one the worker reads
 * chunk n + 1 on libuv's thread pool while it hashes chunk n, two buffers taking turns, so
 * reading and hashing overlap (about 0.6 s instead of 1.0 s for 1 GiB; docs/performance.md).
 * A read that has brought the size fstat reported ends the file without one more read to see
 * EOF (one system call of five for a small file); a file reported empty is read to EOF.
 * O_NONBLOCK keeps a FIFO swapped in after the caller's check from blocking the open, and
 * O_NOFOLLOW a symbolic link swapped in for the file from being followed (the caller passes
 * paths with no link left in their last component); the descriptor's device and inode are
 * compared with the listing's when it knows them.
 */
const WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const fs = process.getBuiltinModule('node:fs')
const crypto = process.getBuiltinModule('node:crypto')
const readSize = workerData.readSize
const buffers = [Buffer.allocUnsafe(readSize), Buffer.allocUnsafe(readSize)]
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW || 0)
const failed = (code, message) => ({ size: 0, digests: {}, error: { code, message } })
const failure = (error) => failed(String(error.code || 'EIO'), String(error.message))
function outcome(info, size, digests) {
  if (info.nlink > 1) return { size, digests, links: { dev: info.dev, ino: info.ino, nlink: info.nlink } }
  return { size, digests }
}
function digestsOf(file, hashes) {
  const digests = {}
  file.algorithms.forEach((algorithm, i) => { digests[algorithm] = hashes[i].digest('hex') })
  return digests
}
function hashSmall(fd, info, file) {
  const buffer = buffers[0]
  const first = fs.readSync(fd, buffer, 0, readSize, null)
  if (first === info.size && first < readSize && file.algorithms.length === 1) {
    const chunk = buffer.subarray(0, first)
    return outcome(info, first, { [file.algorithms[0]]: crypto.hash(file.algorithms[0], chunk, 'hex') })
  }
  const hashes = file.algorithms.map((algorithm) => crypto.createHash(algorithm))
  let size = 0
  for (let read = first; read > 0; ) {
    const chunk = read === readSize ? buffer : buffer.subarray(0, read)
    for (const hash of hashes) hash.update(chunk)
    size += read
    if (info.size > 0 && size === info.size) break
    read = fs.readSync(fd, buffer, 0, readSize, null)
  }
  return outcome(info, size, digestsOf(file, hashes))
}
function readInto(fd, buffer, position) {
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, 0, readSize, position, (error, read) => (error ? reject(error) : resolve(read)))
  })
}
async function hashLarge(fd, info, file) {
  const hashes = file.algorithms.map((algorithm) => crypto.createHash(algorithm))
  let size = 0
  let turn = 0
  let next = readInto(fd, buffers[0], 0)
  for (;;) {
    const read = await next
    if (read === 0) break
    const buffer = buffers[turn]
    size += read
    turn ^= 1
    next = readInto(fd, buffers[turn], size)
    const chunk = read === readSize ? buffer : buffer.subarray(0, read)
    for (const hash of hashes) hash.update(chunk)
  }
  return outcome(info, size, digestsOf(file, hashes))
}
/** The outcome, or a promise of it for a large file. */
function hashOne(file) {
  let fd
  let closes = true
  try {
    fd = fs.openSync(file.path, OPEN_FLAGS)
    const info = fs.fstatSync(fd)
    if (!info.isFile()) return failed('ENOTFILE', 'not a regular file')
    if (file.identity && (file.identity.dev !== info.dev || file.identity.ino !== info.ino))
      return failed('ECHANGED', 'replaced by another file after it was listed')
    if (info.size <= 2 * readSize) return hashSmall(fd, info, file)
    closes = false
    const opened = fd
    return hashLarge(opened, info, file).catch(failure).finally(() => fs.closeSync(opened))
  } catch (error) {
    return failure(error)
  } finally {
    if (fd !== undefined && closes) fs.closeSync(fd)
  }
}
parentPort.on('message', async (batch) => {
  const outcomes = []
  for (const file of batch.files) {
    const result = hashOne(file)
    outcomes.push(result instanceof Promise ? await result : result)
  }
  parentPort.postMessage({ id: batch.id, outcomes })
})
`

interface Batch {
  id: number
  indexes: number[]
}

/**
 * Worker threads that hash files, largest first, small files in batches. `warm()` starts the
 * first thread early so that its start-up overlaps other work; `close()` terminates them (the
 * pool keeps the process alive until then). One `hash` call at a time.
 */
export class HashPool {
  readonly #concurrency: number
  readonly #readSize: number
  readonly #workers: Worker[] = []
  #busy = false

  constructor(options: HashPoolOptions = {}) {
    this.#concurrency = Math.max(1, options.concurrency ?? availableParallelism())
    this.#readSize = options.readSize ?? DEFAULT_READ_SIZE
  }

  /**
   * Starts one worker, before the caller knows what there is to hash; `hash` starts the others
   * only when it has work for them. A worker takes 40–60 ms to start, and on two cores a second
   * one starting beside the first delayed the first result of a one-file release by 25–60 ms
   * (its start-up competes with the first worker's and with the glob on the main thread).
   */
  warm(): this {
    this.#spawnUpTo(1)
    return this
  }

  /**
   * Resolves with one outcome per request, in request order; unreadable files are reported in
   * their outcome rather than failing the others.
   */
  async hash(requests: readonly HashRequest[]): Promise<HashOutcome[]> {
    if (this.#busy) throw new Error('HashPool.hash is already running')
    const outcomes = new Array<HashOutcome>(requests.length)
    const batches = planBatches(requests, this.#concurrency)
    if (batches.length === 0) return outcomes
    this.#busy = true
    const workers = this.#spawnUpTo(Math.min(this.#concurrency, batches.length))
    const detach: (() => void)[] = []
    try {
      await new Promise<void>((resolve, reject) => {
        let nextBatch = 0
        let pending = batches.length
        const feed = (worker: Worker): void => {
          const batch = batches[nextBatch++]
          if (!batch) return
          worker.postMessage({
            id: batch.id,
            files: batch.indexes.map((i) => ({
              path: requests[i]?.path,
              algorithms: requests[i]?.algorithms,
              identity: requests[i]?.identity,
            })),
          })
        }
        for (const worker of workers) {
          const onMessage = (reply: { id: number; outcomes: HashOutcome[] }): void => {
            const batch = batches[reply.id] as Batch
            batch.indexes.forEach((requestIndex, k) => {
              outcomes[requestIndex] = reply.outcomes[k] as HashOutcome
            })
            if (--pending === 0) resolve()
            else feed(worker)
          }
          const onExit = (code: number): void => {
            this.#forget(worker)
            reject(new Error(`hash worker exited with code ${code} before finishing`))
          }
          worker.on('message', onMessage)
          worker.on('error', reject)
          worker.on('exit', onExit)
          detach.push(() => {
            worker.off('message', onMessage)
            worker.off('error', reject)
            worker.off('exit', onExit)
          })
          feed(worker)
        }
      })
    } finally {
      for (const off of detach) off()
      this.#busy = false
    }
    return outcomes
  }

  async close(): Promise<void> {
    const workers = this.#workers.splice(0)
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  #spawnUpTo(count: number): Worker[] {
    while (this.#workers.length < count) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { readSize: this.#readSize },
      })
      // A failure before any hash call must not crash the process; hash() reports its own.
      worker.on('error', () => {})
      worker.on('exit', () => this.#forget(worker))
      this.#workers.push(worker)
    }
    return this.#workers.slice(0, count)
  }

  #forget(worker: Worker): void {
    const index = this.#workers.indexOf(worker)
    if (index >= 0) this.#workers.splice(index, 1)
  }
}

/** Hashes files on a fresh `HashPool`, terminating its workers before resolving. */
export async function hashFiles(
  requests: readonly HashRequest[],
  options: HashPoolOptions = {},
): Promise<HashOutcome[]> {
  const pool = new HashPool(options)
  try {
    return await pool.hash(requests)
  } finally {
    await pool.close()
  }
}

function planBatches(requests: readonly HashRequest[], workers: number): Batch[] {
  // An unknown size might be large: it goes before the files known to be small, and batches
  // stay small enough that every worker gets several of them.
  const sizeOf = (i: number): number => requests[i]?.size ?? BATCH_BYTES - 1
  const order = requests.map((_, i) => i).sort((a, b) => sizeOf(b) - sizeOf(a))
  const maxFiles = Math.max(1, Math.min(BATCH_FILES, Math.ceil(requests.length / (workers * 8))))
  const batches: Batch[] = []
  let current: Batch | undefined
  let currentBytes = 0
  for (const index of order) {
    const size = requests[index]?.size
    if (size !== undefined && size >= BATCH_BYTES) {
      batches.push({ id: batches.length, indexes: [index] })
      continue
    }
    const bytes = size ?? 0
    if (!current || currentBytes + bytes > BATCH_BYTES || current.indexes.length >= maxFiles) {
      current = { id: batches.length, indexes: [] }
      currentBytes = 0
      batches.push(current)
    }
    current.indexes.push(index)
    currentBytes += bytes
  }
  return batches
}
