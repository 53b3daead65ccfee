import { createReadStream } from 'node:fs'

/**
 * A file as a request body that can be read more than once: each iteration opens the file
 * again, so a retried request sends the whole file, and it is never held in memory.
 */
export class FileBody implements AsyncIterable<Uint8Array> {
  readonly path: string
  constructor(path: string) {
    this.path = path
  }
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return createReadStream(this.path)[Symbol.asyncIterator]()
  }
}
