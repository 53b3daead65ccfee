// Reading a file whose path a user (or a downloaded folder) named. Opening by path alone would
// block forever on a FIFO with no writer, follow a link the caller did not resolve, and read a
// device without end; so the file is opened non-blocking without following a final symbolic
// link, and its descriptor (not its path) is checked before one byte is read.
import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { InputError } from './errors.ts'
import { OPEN_READ_NO_FOLLOW } from './open-flags.ts'

export interface ReadUserFileOptions {
  /** The input (or file) the path came from; every error names it. */
  input: string
  /** Larger files are refused without being read. */
  maxBytes: number
}

/**
 * The file at a user-named path is not one to read. `reason` is the message without the path
 * and input, for callers that report it under the file's own name.
 */
export class UnreadableFileError extends InputError {
  readonly reason: string

  constructor(input: string, path: string, reason: string, options?: ErrorOptions) {
    super(input, `${quoted(path)} ${reason}`, options)
    this.name = 'UnreadableFileError'
    this.reason = reason
  }
}

/** What a non-regular file is, in the words of the error. */
function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a FIFO (named pipe)'
  if (stat.isSocket()) return 'a socket'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  return 'not a regular file'
}

/** JSON quoting keeps a hostile name (line breaks, `::` commands) on one inert line. */
function quoted(path: string): string {
  return JSON.stringify(path)
}

async function openNoFollow(path: string, input: string): Promise<FileHandle> {
  try {
    return await open(path, OPEN_READ_NO_FOLLOW)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') {
      throw new UnreadableFileError(input, path, 'is a symbolic link; name the file itself.', {
        cause: error,
      })
    }
    throw error
  }
}

async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer> {
  // One byte more than allowed, so a file that grew after fstat() is still caught.
  const buffer = Buffer.alloc(limit + 1)
  let length = 0
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
    if (bytesRead === 0) break
    length += bytesRead
  }
  return buffer.subarray(0, length)
}

/**
 * The bytes of the regular file at `path`. Throws an UnreadableFileError naming `options.input` for a
 * symbolic link, a FIFO, a folder, a device or socket, or a file over `maxBytes`; a missing file
 * throws the system's ENOENT error (see readOptionalRegularFile).
 */
export async function readRegularFile(path: string, options: ReadUserFileOptions): Promise<Buffer> {
  const { input, maxBytes } = options
  const handle = await openNoFollow(path, input)
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) {
      throw new UnreadableFileError(
        input,
        path,
        `is ${kindOf(stat)}, not a regular file; give a regular file.`,
      )
    }
    const tooLarge = (size: string): UnreadableFileError =>
      new UnreadableFileError(
        input,
        path,
        `is ${size} bytes; at most ${maxBytes} bytes are allowed. Give a smaller file.`,
      )
    if (stat.size > maxBytes) throw tooLarge(String(stat.size))
    const bytes = await readAtMost(handle, maxBytes)
    if (bytes.length > maxBytes) throw tooLarge(`more than ${maxBytes}`)
    return bytes
  } finally {
    await handle.close()
  }
}

/** As readRegularFile, but undefined when nothing exists at `path`. */
export async function readOptionalRegularFile(
  path: string,
  options: ReadUserFileOptions,
): Promise<Buffer | undefined> {
  try {
    return await readRegularFile(path, options)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
