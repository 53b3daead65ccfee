// Writing a command's output to file descriptors 1 and 2 directly, with writeSync, rather than
// through process.stdout and process.stderr. For a pipe (a workflow step's log, `| jq`), creating
// those streams loads net and the stream modules and makes the pipe non-blocking: 5 ms of a
// 31 ms start for one line to each (measured with `node -e 0` beside it).

/** The descriptors whose output has moved to their stream for good (see writeToDescriptor). */
const streamed = new Set<1 | 2>()

function streamOf(fd: 1 | 2): NodeJS.WriteStream {
  return fd === 1 ? process.stdout : process.stderr
}

/**
 * Writes all of `text` to `fd` before returning. A pipe made non-blocking (by its other end, or
 * by a stream of ours) that is full refuses part of it (EAGAIN): the stream, which queues until
 * the reader catches up, takes the rest from the first byte not taken, and every later write to
 * that descriptor goes through the stream too, behind it, so nothing is reordered. Only for a
 * process's own output while nothing else writes through the stream (an entry's start, the CLI).
 */
export function writeToDescriptor(fd: 1 | 2, text: string): void {
  if (streamed.has(fd)) {
    streamOf(fd).write(text)
    return
  }
  const bytes = Buffer.from(text)
  let written = 0
  try {
    while (written < bytes.length) {
      written += process.getBuiltinModule('node:fs').writeSync(fd, bytes, written)
    }
  } catch {
    // EAGAIN, or a descriptor the stream reports on in its own way (EPIPE, EBADF), as it would
    // have had it written all along.
    streamed.add(fd)
    streamOf(fd).write(bytes.subarray(written))
  }
}
