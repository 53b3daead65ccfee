import { once } from 'node:events'
import {
  closeSync,
  constants,
  createReadStream,
  createWriteStream,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
} from 'node:fs'
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import * as tar from 'tar-stream'
import { InputError } from '../util/errors.ts'
import { isInside } from '../util/path.ts'
import { hardLinksLeaving } from './hard-links.ts'
import { compareNames } from './order.ts'

export interface TarballOptions {
  /** The directory to pack; its base name becomes the archive's top-level folder. */
  directory: string
  /** Where the `.tar.gz` is written. */
  outFile: string
  /** Seconds since the epoch stamped on every entry (SOURCE_DATE_EPOCH). */
  sourceDateEpoch: number
  /** Names the directory in error messages (workspace-relative). */
  displayPath: string
  /**
   * Where a hard link's other names may be (the workspace): a file in the directory with a
   * name outside it is refused. Without it, every name must be inside the directory.
   */
  confinedTo?: string
}

type TarHeader = Parameters<tar.Pack['entry']>[0]
type EntrySink = ReturnType<tar.Pack['entry']>

interface TreeEntry {
  /** Name inside the archive, `/`-separated, starting with the top-level folder. */
  name: string
  absolutePath: string
  type: 'directory' | 'file' | 'symlink'
  mode: number
  size: number
  linkTarget?: string
  /** Which file the listing saw, compared when it is opened; with its number of names. */
  dev: number
  ino: number
  nlink: number
}

/** Opened without following a link, and only if it is still the file the listing saw. */
const OPEN_LISTED = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0)

/** Files up to this size are read in one call; larger ones are streamed in chunks of it. */
const WHOLE_READ_BYTES = 1024 * 1024
/** zlib runs each write as one thread-pool job: hand it large pieces, not 512-byte headers. */
const GZIP_INPUT_BYTES = 1024 * 1024
/** The gzip header's OS byte: Unix, whichever platform made the archive. */
const GZIP_OS_UNIX = 3

/**
 * Packs a directory into a reproducible `.tar.gz`: the same tree gives the same bytes on
 * every run and machine (same Node zlib). Entries are sorted by name in byte order, stamped
 * with `sourceDateEpoch`, owned by 0:0 without user or group names, with modes normalised to
 * 0755 (directories, executables) or 0644, and plain ustar headers (no atime/ctime). The gzip
 * header carries no name and mtime 0. Symbolic links are kept only when they stay inside the
 * directory. Large files stream through in 1 MiB reads; memory does not grow with file size.
 *
 * Small files and metadata are read synchronously: for trees of many small files a
 * thread-pool round trip per open/stat/read/close costs ten times the system call itself.
 */
export async function createReproducibleTarball(options: TarballOptions): Promise<void> {
  const entries = await collectTree(options)
  const mtime = new Date(options.sourceDateEpoch * 1000)
  const pack = tar.pack()
  const written = pipeline(
    pack,
    new Coalescer(GZIP_INPUT_BYTES),
    createGzip(),
    new GzipHeaderNormaliser(),
    createWriteStream(options.outFile),
  )
  try {
    for (const entry of entries) {
      const header: TarHeader = {
        name: entry.name,
        type: entry.type,
        mode: entry.mode,
        size: entry.type === 'file' ? entry.size : 0,
        mtime,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        ...(entry.linkTarget !== undefined ? { linkname: entry.linkTarget } : {}),
      }
      let contents: Buffer | undefined
      if (entry.type === 'file' && entry.size <= WHOLE_READ_BYTES) {
        const fd = openListed(entry)
        try {
          contents = readListed(fd, entry)
        } finally {
          closeSync(fd)
        }
      }
      await addEntry(pack, header, entry, contents)
    }
    pack.finalize()
    await written
  } catch (error) {
    pack.destroy(error as Error)
    await written.catch(() => {})
    throw error
  }
}

async function addEntry(
  pack: tar.Pack,
  header: TarHeader,
  entry: TreeEntry,
  buffer?: Buffer,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve())
    if (buffer) {
      pack.entry(header, buffer, done)
      return
    }
    const sink = pack.entry(header, done)
    if (entry.type !== 'file') return
    streamInto(sink, entry).catch((error: unknown) => {
      sink.destroy(error as Error)
      reject(error)
    })
  })
}

async function streamInto(sink: EntrySink, entry: TreeEntry): Promise<void> {
  let size = 0
  try {
    for await (const chunk of createReadStream('', {
      fd: openListed(entry),
      highWaterMark: WHOLE_READ_BYTES,
    })) {
      size += (chunk as Buffer).length
      if (size > entry.size) throw changed(entry)
      if (!sink.write(chunk as Buffer)) await once(sink, 'drain')
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    unreadable(entry, error)
  }
  if (size !== entry.size) throw changed(entry)
  sink.end(null)
}

/**
 * The listed file's descriptor. O_NOFOLLOW refuses a symbolic link swapped in for the file
 * after the listing (which would pack whatever it points at), the device and inode another
 * file renamed over it; O_NONBLOCK keeps a FIFO swapped in from blocking the open.
 */
function openListed(entry: TreeEntry): number {
  let fd: number
  try {
    fd = openSync(entry.absolutePath, OPEN_LISTED)
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOOP') throw changed(entry)
    unreadable(entry, error)
  }
  const info = fstatSync(fd)
  const same = info.dev === entry.dev && info.ino === entry.ino && info.size === entry.size
  if (!info.isFile() || !same) {
    closeSync(fd)
    throw changed(entry)
  }
  return fd
}

/**
 * The listed number of bytes of a small file, in as many reads as that takes (one, almost
 * always): the size was checked by `openListed`'s fstat, so neither another fstat nor a read
 * to see EOF is needed, two system calls of six per file in a tree of small files. A file that
 * ends early changed since the listing.
 */
function readListed(fd: number, entry: TreeEntry): Buffer {
  const contents = Buffer.allocUnsafe(entry.size)
  let filled = 0
  try {
    while (filled < entry.size) {
      const read = readSync(fd, contents, filled, entry.size - filled, null)
      if (read === 0) throw changed(entry)
      filled += read
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    unreadable(entry, error)
  }
  return contents
}

function unreadable(entry: TreeEntry, error: unknown): never {
  throw new InputError(
    'subject-path',
    `cannot read ${entry.absolutePath} while packing its directory: ${(error as Error).message}`,
    { cause: error },
  )
}

function changed(entry: TreeEntry): InputError {
  return new InputError(
    'subject-path',
    `${entry.absolutePath} changed (its size, or it was replaced) while its directory was being packed; release from a tree nothing is writing to`,
  )
}

async function collectTree(options: TarballOptions): Promise<TreeEntry[]> {
  const root = path.resolve(options.directory)
  const realRoot = await realpath(root)
  const rootName = path.basename(root)
  const none = { dev: 0, ino: 0, nlink: 1 }
  // Directory names end in '/', as GNU tar writes them.
  const entries: TreeEntry[] = [
    { name: `${rootName}/`, absolutePath: root, type: 'directory', mode: 0o755, size: 0, ...none },
  ]
  const pending = [root]
  while (pending.length > 0) {
    const directory = pending.pop() as string
    for (const dirent of readdirSync(directory, { withFileTypes: true })) {
      const absolutePath = path.join(directory, dirent.name)
      const name = rootName + '/' + path.relative(root, absolutePath).split(path.sep).join('/')
      const info = lstatSync(absolutePath)
      if (info.isDirectory()) {
        entries.push({
          name: `${name}/`,
          absolutePath,
          type: 'directory',
          mode: 0o755,
          size: 0,
          ...none,
        })
        pending.push(absolutePath)
      } else if (info.isFile()) {
        entries.push({
          name,
          absolutePath,
          type: 'file',
          mode: info.mode & 0o111 ? 0o755 : 0o644,
          size: info.size,
          dev: info.dev,
          ino: info.ino,
          nlink: info.nlink,
        })
      } else if (info.isSymbolicLink()) {
        const linkTarget = readlinkSync(absolutePath)
        await checkLinkStaysInside(options, root, realRoot, absolutePath, linkTarget)
        entries.push({
          name,
          absolutePath,
          type: 'symlink',
          mode: 0o777,
          size: 0,
          linkTarget,
          ...none,
        })
      } else {
        throw new InputError(
          'subject-path',
          `directory '${options.displayPath}' contains ${name.slice(rootName.length + 1)}, which is neither a file, a directory nor a symbolic link; remove it before releasing the directory`,
        )
      }
    }
  }
  refuseLinksFromOutside(options, entries)
  entries.sort((a, b) => compareNames(a.name, b.name))
  return entries
}

/**
 * A hard link packs the file's contents whatever its other names are: one outside the
 * workspace (`ln /etc/passwd dist/passwd`) would put a file from elsewhere into the archive.
 * Names inside the directory are counted from the listing; only files with names left over
 * are looked for in `confinedTo`.
 */
function refuseLinksFromOutside(options: TarballOptions, entries: readonly TreeEntry[]): void {
  const linked = entries.filter((entry) => entry.type === 'file' && entry.nlink > 1)
  if (linked.length === 0) return
  const inside = new Map<string, number>()
  for (const entry of linked) {
    const key = `${entry.dev}:${entry.ino}`
    inside.set(key, (inside.get(key) ?? 0) + 1)
  }
  const leftOver = linked.filter(
    (entry) => (inside.get(`${entry.dev}:${entry.ino}`) ?? 0) < entry.nlink,
  )
  if (leftOver.length === 0) return
  const outside = options.confinedTo ? hardLinksLeaving(options.confinedTo, leftOver) : leftOver
  const first = outside[0]
  if (!first) return
  const where = options.confinedTo ? `the workspace (${options.confinedTo})` : 'the directory'
  throw new InputError(
    'subject-path',
    `directory '${options.displayPath}' contains ${first.name.slice(first.name.indexOf('/') + 1)}, a hard link with ${first.nlink} names, some outside ${where}; the archive could carry a file from elsewhere, so copy the file instead of linking it`,
  )
}

async function checkLinkStaysInside(
  options: TarballOptions,
  root: string,
  realRoot: string,
  link: string,
  target: string,
): Promise<void> {
  const where = `directory '${options.displayPath}' contains a symbolic link ${path.relative(root, link)} -> ${target}`
  if (path.isAbsolute(target)) {
    throw new InputError(
      'subject-path',
      `${where} with an absolute target; use a relative link that stays inside the directory`,
    )
  }
  const resolved = path.resolve(path.dirname(link), target)
  let real: string | undefined
  try {
    real = await realpath(link)
  } catch {
    // A dangling link is reproducible as it is; only its spelling can be checked.
  }
  if (!isInside(root, resolved) || (real !== undefined && !isInside(realRoot, real))) {
    throw new InputError(
      'subject-path',
      `${where} that points outside the directory; the archive would not be self-contained`,
    )
  }
}

/** Joins small chunks into pieces of at least `size` bytes (the last one may be smaller). */
class Coalescer extends Transform {
  readonly #size: number
  #chunks: Buffer[] = []
  #buffered = 0

  constructor(size: number) {
    super()
    this.#size = size
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    if (this.#buffered >= this.#size) this.#release()
    callback()
  }

  override _flush(callback: TransformCallback): void {
    if (this.#buffered > 0) this.#release()
    callback()
  }

  #release(): void {
    this.push(Buffer.concat(this.#chunks, this.#buffered))
    this.#chunks = []
    this.#buffered = 0
  }
}

/** Rewrites the gzip header's OS byte, the only header byte zlib derives from the platform. */
class GzipHeaderNormaliser extends Transform {
  #offset = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const osByte = 9 - this.#offset
    if (osByte >= 0 && osByte < chunk.length) chunk[osByte] = GZIP_OS_UNIX
    this.#offset += chunk.length
    callback(null, chunk)
  }
}
