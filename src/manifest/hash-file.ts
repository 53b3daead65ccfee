import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { DEFAULT_READ_SIZE, type HashAlgorithm } from './hash-pool.ts'

export interface FileDigest {
  /** Lower-case hex. */
  hex: string
  size: number
}

/**
 * Streams one file through a hash (SHA-256 unless told otherwise) in large reads; memory
 * stays at one read buffer whatever the file's size. For many files use `hashFiles`, which
 * spreads the work over worker threads.
 */
export async function hashFile(
  filePath: string,
  algorithm: HashAlgorithm = 'sha256',
): Promise<FileDigest> {
  const hash = createHash(algorithm)
  let size = 0
  for await (const chunk of createReadStream(filePath, { highWaterMark: DEFAULT_READ_SIZE })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { hex: hash.digest('hex'), size }
}
