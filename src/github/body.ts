import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

/**
 * Bytes per read of an upload; one read is in flight per upload, as the next waits for the
 * socket. Uploading 1 GiB over loopback with 64 KiB, 256 KiB, 1 MiB and 4 MiB reads took 2.5,
 * 2.2, 2.2 and 2.2 s; 4 MiB cost 12 MB more peak RSS.
 */
const READ_SIZE = 1024 * 1024
/** Read buffers per upload, reused in turn (see `stream`). */
const READ_BUFFERS = 3

/**
 * A file as a request body that can be sent more than once: each `stream()` opens the file
 * again, so a retried request sends the whole file, and it is never held in memory. The client's
 * fetch (client.ts) asks for a fresh stream on every attempt.
 */
export class FileBody {
  readonly path: string
  constructor(path: string) {
    this.path = path
  }

  /**
   * A pull stream of the file: a read happens only when the consumer asks for the next chunk
   * (highWaterMark 0), so nothing is read ahead of the socket. The reads take turns in
   * READ_BUFFERS buffers instead of allocating one each: a spent 1 MiB buffer is garbage until
   * the collector runs, and four uploads at once on a busy machine left hundreds of MB of them
   * (docs/performance.md). A buffer is filled again only after the two chunks sent after it
   * were handed to the socket: fetch asks for the next chunk once the socket took the last one
   * (a write returning false waits for 'drain'), and only a file's last chunk can be short, so
   * by then the socket has written it out. The post-upload digest check would catch a mistake.
   */
  stream(): ReadableStream<Uint8Array> {
    const buffers = Array.from({ length: READ_BUFFERS }, () => Buffer.allocUnsafe(READ_SIZE))
    let turn = 0
    let handle: FileHandle | undefined
    const close = async (): Promise<void> => {
      const opened = handle
      handle = undefined
      await opened?.close()
    }
    const path = this.path
    return new ReadableStream<Uint8Array>(
      {
        async start() {
          handle = await open(path, 'r')
        },
        async pull(controller) {
          try {
            const buffer = buffers[turn] as Buffer
            turn = (turn + 1) % READ_BUFFERS
            const { bytesRead } = await (handle as FileHandle).read(buffer, 0, READ_SIZE, null)
            if (bytesRead > 0) return controller.enqueue(buffer.subarray(0, bytesRead))
            await close()
            controller.close()
          } catch (error) {
            await close().catch(() => {})
            throw error
          }
        },
        cancel: close,
      },
      { highWaterMark: 0 },
    )
  }
}

/** Whether a request body is a `FileBody`, to be opened afresh for each attempt. */
export function isFileBody(body: unknown): body is FileBody {
  return body instanceof FileBody
}
