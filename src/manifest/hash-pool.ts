import crypto from 'node:crypto'
import fs from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { OPEN_READ_NO_FOLLOW } from '../util/open-flags.ts'
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
  /**
   * Whether this thread hashes too (default true). Off, every file goes to a worker and this
   * thread's event loop stays free: for a caller with other work to keep moving.
   */
  hashOnThisThread?: boolean
}

/** Measured on 1 GiB: reads of 1–4 MiB hash as fast as `openssl dgst`; see docs/performance.md. */
export const DEFAULT_READ_SIZE = 4 * 1024 * 1024
/** Files below this size travel in batches, so that messaging does not dominate tiny files. */
const BATCH_BYTES = 8 * 1024 * 1024
const BATCH_FILES = 256

/*
 * The hashing code is one plain-JavaScript source run in two places: on the main thread
 * (compiled once with `new Function`) and in worker threads (started with `eval: true`). One
 * text for both, so the two can never disagree about a digest, and a string because that runs
 * the same from TypeScript sources under vitest, from type-stripped sources on Node 24 and from
 * a single Rollup bundle, none of which can point a Worker at a stable file path. The worker
 * loads built-ins with process.getBuiltinModule, which works whether Node evaluates it as
 * CommonJS or, when the parent runs with --input-type=module, as an ES module.
 *
 * A file that fits in two reads is read synchronously: a thread-pool round trip would cost more
 * than the read. A larger one is read in `readSize` pieces, in one of two ways:
 * - `overlap` (this hasher is the only one busy): chunk n + 1 is read on libuv's thread pool
 *   while chunk n is hashed, two buffers taking turns, so the read uses the otherwise idle core;
 * - otherwise (every core is hashing): read and hash on the same thread, one after the other.
 *   A read-ahead thread would only compete with the other hashers for the cores: four 512 MiB
 *   files on two cores took 0.42 s each with read-ahead and 0.34 s without.
 * Between two pieces of a large file the hasher yields to its event loop (setImmediate), so the
 * main thread, when it hashes, still answers the workers.
 * A read that has brought the size fstat reported ends the file without one more read to see
 * EOF (one system call of five for a small file); a file reported empty is read to EOF.
 * O_NONBLOCK keeps a FIFO swapped in after the caller's check from blocking the open, and
 * O_NOFOLLOW a symbolic link swapped in for the file from being followed (the caller passes
 * paths with no link left in their last component); the descriptor's device and inode are
 * compared with the listing's when it knows them. The flags are util/open-flags.ts's, written
 * into the text as a number (the source is made on the machine that runs it).
 */
const HASHER_SOURCE = `
'use strict'
const buffers = [Buffer.allocUnsafe(readSize), Buffer.allocUnsafe(readSize)]
const OPEN_FLAGS = ${OPEN_READ_NO_FOLLOW}
const failed = (code, message) => ({ size: 0, digests: {}, error: { code, message } })
const failure = (error) => failed(String(error.code || 'EIO'), String(error.message))
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
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
async function hashOverlapped(fd, info, file) {
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
async function hashInTurns(fd, info, file) {
  const hashes = file.algorithms.map((algorithm) => crypto.createHash(algorithm))
  const buffer = buffers[0]
  let size = 0
  for (;;) {
    const read = fs.readSync(fd, buffer, 0, readSize, null)
    if (read === 0) break
    const chunk = read === readSize ? buffer : buffer.subarray(0, read)
    for (const hash of hashes) hash.update(chunk)
    size += read
    await nextTurn()
  }
  return outcome(info, size, digestsOf(file, hashes))
}
/** The outcome, or a promise of it for a large file. */
function hashOne(file, overlap) {
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
    const hashing = overlap ? hashOverlapped(opened, info, file) : hashInTurns(opened, info, file)
    return hashing.catch(failure).finally(() => fs.closeSync(opened))
  } catch (error) {
    return failure(error)
  } finally {
    if (fd !== undefined && closes) fs.closeSync(fd)
  }
}
async function hashBatch(files, overlap) {
  const outcomes = []
  for (const file of files) {
    const result = hashOne(file, overlap)
    outcomes.push(result instanceof Promise ? await result : result)
  }
  return outcomes
}
return { hashBatch }
`

const WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const hasher = (function (fs, crypto, readSize) {${HASHER_SOURCE}})(
  process.getBuiltinModule('node:fs'),
  process.getBuiltinModule('node:crypto'),
  workerData.readSize,
)
// One batch after another. The pool queues a second batch here, and a large file's turns (or
// read-ahead) would otherwise let it start in between: two batches interleaved on the same two
// buffers, which is safe today only because read-ahead runs when there is a single batch.
let previous = Promise.resolve()
parentPort.on('message', (batch) => {
  previous = previous.then(async () => {
    parentPort.postMessage({ id: batch.id, outcomes: await hasher.hashBatch(batch.files, batch.overlap) })
  })
})
`

interface WireFile {
  path: string
  algorithms: readonly HashAlgorithm[]
  identity?: FileIdentity
}

interface Hasher {
  hashBatch(files: readonly WireFile[], overlap: boolean): Promise<HashOutcome[]>
}

/** The hashing source compiled for this thread. */
function mainThreadHasher(readSize: number): Hasher {
  const make = new Function('fs', 'crypto', 'readSize', HASHER_SOURCE) as (
    fsModule: typeof fs,
    cryptoModule: typeof crypto,
    size: number,
  ) => Hasher
  return make(fs, crypto, readSize)
}

interface Batch {
  id: number
  indexes: number[]
  /**
   * One file alone: a large one, or one of so few that each has its own batch (a glob's
   * files have no size yet, and may be of any size).
   */
  alone: boolean
}

/**
 * Batches of small files a worker holds at once: one being hashed and the next, so that it
 * does not wait for this thread between two. A file alone in its batch is handed over only
 * when the worker is free: queued behind another, it could leave the other hashers idle at the
 * end (four 512 MiB files: two on the worker, one after the other, while this thread waited).
 */
const WORKER_QUEUE = 2

/**
 * Hashes files, largest first, small files in batches, on `concurrency` hashers: this thread
 * and `concurrency - 1` worker threads. This thread hashes too because a worker takes 40-60 ms
 * to start: a one-file release needs no worker at all, and for many files this thread has
 * hashed the first batches by the time the workers are up. `warm()` starts the workers early
 * so that their start-up overlaps other work; `close()` terminates them (the pool keeps the
 * process alive until then). One `hash` call at a time.
 */
export class HashPool {
  readonly #concurrency: number
  readonly #readSize: number
  readonly #hashOnThisThread: boolean
  readonly #workers: Worker[] = []
  /** Workers whose thread is up: only they are handed batches, this thread takes the rest. */
  readonly #online = new WeakSet<Worker>()
  #local: Hasher | undefined
  #busy = false
  #closed = false

  constructor(options: HashPoolOptions = {}) {
    this.#concurrency = Math.max(1, options.concurrency ?? availableParallelism())
    this.#readSize = options.readSize ?? DEFAULT_READ_SIZE
    this.#hashOnThisThread = options.hashOnThisThread ?? true
  }

  /** Starts the worker threads, before the caller knows what there is to hash. */
  warm(): this {
    this.#spawnUpTo(this.#workerCount())
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
    // With one batch, one hasher is busy and the read-ahead has a core of its own.
    const overlap = batches.length === 1
    const workers = this.#spawnUpTo(
      this.#hashOnThisThread
        ? Math.min(this.#workerCount(), batches.length - 1)
        : this.#workerCount(),
    )
    // The requests themselves (a size travels along, unread): a copy of each cost 20,000
    // objects for 20,000 files on this thread, where structured cloning copies them anyway.
    const wire = (batch: Batch): WireFile[] => batch.indexes.map((i) => requests[i] as HashRequest)
    const store = (batch: Batch, results: readonly HashOutcome[]): void => {
      batch.indexes.forEach((requestIndex, k) => {
        outcomes[requestIndex] = results[k] as HashOutcome
      })
    }
    const detach: (() => void)[] = []
    try {
      await new Promise<void>((resolve, reject) => {
        let nextBatch = 0
        let pending = batches.length
        let failed = false
        const settle = (batch: Batch, results: readonly HashOutcome[]): void => {
          store(batch, results)
          if (--pending === 0) resolve()
        }
        const fail = (error: unknown): void => {
          failed = true
          reject(error)
        }
        const inFlight = new Map<Worker, number>()
        const feed = (worker: Worker): void => {
          for (;;) {
            const batch = batches[nextBatch]
            const held = inFlight.get(worker) ?? 0
            if (!batch || !this.#online.has(worker)) return
            if (held >= WORKER_QUEUE || (held > 0 && batch.alone)) return
            nextBatch++
            inFlight.set(worker, held + 1)
            worker.postMessage({ id: batch.id, files: wire(batch), overlap })
          }
        }
        for (const worker of workers) {
          const onMessage = (reply: { id: number; outcomes: HashOutcome[] }): void => {
            inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1)
            settle(batches[reply.id] as Batch, reply.outcomes)
            feed(worker)
          }
          const onExit = (code: number): void => {
            this.#forget(worker)
            fail(new Error(`hash worker exited with code ${code} before finishing`))
          }
          const onOnline = (): void => feed(worker)
          worker.on('message', onMessage)
          worker.on('error', fail)
          worker.on('exit', onExit)
          worker.on('online', onOnline)
          detach.push(() => {
            worker.off('message', onMessage)
            worker.off('error', fail)
            worker.off('exit', onExit)
            worker.off('online', onOnline)
          })
          feed(worker)
        }
        if (!this.#hashOnThisThread) return
        // This thread takes what the workers have not: at once, while they are still starting.
        const local = (this.#local ??= mainThreadHasher(this.#readSize))
        const hashHere = async (): Promise<void> => {
          for (let batch = batches[nextBatch]; batch && !failed; batch = batches[nextBatch]) {
            // Closed while hashing (the caller gave up): this thread stops too.
            if (this.#closed) throw new Error('HashPool was closed before the files were hashed')
            nextBatch++
            settle(batch, await local.hashBatch(wire(batch), overlap))
            // Lets the workers' replies in (and so feeds them) between two batches.
            await new Promise((next) => setImmediate(next))
          }
        }
        hashHere().catch(fail)
      })
    } finally {
      for (const off of detach) off()
      this.#busy = false
    }
    return outcomes
  }

  /**
   * Stops the workers; resolves once their threads have exited. They are unreferenced first,
   * so a caller that does not wait (the manifest build) is not kept alive by them.
   */
  async close(): Promise<void> {
    this.#closed = true
    const workers = this.#workers.splice(0)
    for (const worker of workers) worker.unref()
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  /** This thread is one of the hashers unless told otherwise. */
  #workerCount(): number {
    return this.#hashOnThisThread ? this.#concurrency - 1 : this.#concurrency
  }

  #spawnUpTo(count: number): Worker[] {
    while (this.#workers.length < count) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { readSize: this.#readSize },
        // Not piped into this process's streams when it starts, as a worker's output is by
        // default: that creates process.stdout and process.stderr, which for a pipe loads net
        // and makes the pipe non-blocking (~5 ms of a CLI run). A hasher writes nothing; what
        // it might (a warning) is passed on when it comes.
        stdout: true,
        stderr: true,
      })
      worker.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk))
      worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk))
      // A failure before any hash call must not crash the process; hash() reports its own.
      worker.on('error', () => {})
      worker.on('exit', () => this.#forget(worker))
      worker.once('online', () => this.#online.add(worker))
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
  const order = requests.map((_, i) => i)
  // A glob's files have no size yet: all alike, the stable sort would leave them as they are
  // (20,000 comparisons, ~10 ms, for nothing).
  if (requests.some((request) => request.size !== undefined))
    order.sort((a, b) => sizeOf(b) - sizeOf(a))
  const maxFiles = Math.max(1, Math.min(BATCH_FILES, Math.ceil(requests.length / (workers * 8))))
  const batches: Batch[] = []
  let current: Batch | undefined
  let currentBytes = 0
  for (const index of order) {
    const size = requests[index]?.size
    if (size !== undefined && size >= BATCH_BYTES) {
      batches.push({ id: batches.length, indexes: [index], alone: true })
      continue
    }
    const bytes = size ?? 0
    if (!current || currentBytes + bytes > BATCH_BYTES || current.indexes.length >= maxFiles) {
      current = { id: batches.length, indexes: [], alone: false }
      currentBytes = 0
      batches.push(current)
    }
    current.indexes.push(index)
    currentBytes += bytes
  }
  for (const batch of batches) batch.alone = batch.indexes.length === 1
  return batches
}
