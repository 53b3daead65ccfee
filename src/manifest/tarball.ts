import { createHash, hash } from 'node:crypto'
import {
  closeSync,
  createWriteStream,
  type Dirent,
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
import { createGzip, type Gzip } from 'node:zlib'
import { InputError } from '../util/errors.ts'
import { OPEN_READ_NO_FOLLOW } from '../util/open-flags.ts'
import { isInside } from '../util/path.ts'
import {
  archiveMember,
  ArchiveScanError,
  ArchiveTally,
  flagMember,
  type ArchiveScan,
} from './archive-scan.ts'
import { hardLinksLeaving } from './hard-links.ts'
import { compareNames } from './order.ts'
import { BLOCK_BYTES, paddingOf, TarHeaderEncoder, type TarHeaderFields } from './tar-header.ts'
import {
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveLimits,
  type ArchiveListing,
  type ArchiveMember,
} from './types.ts'

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
  /**
   * The entry-count and size limits a scan of the written archive would apply (defaults to
   * `DEFAULT_ARCHIVE_LIMITS`); the compression ratio is not checked.
   */
  limits?: ArchiveLimits
  /**
   * The archive's name in limit errors, as a scan of the published file would give it (the
   * file is written under a temporary name first); defaults to `outFile`'s base name.
   */
  archiveName?: string
}

/**
 * What the listing knows of an entry: its name and type, from readdir alone. A file's mode,
 * size and identity come from the fstat of the descriptor it is packed from, so they are the
 * packed file's, and the listing needs no lstat per file.
 */
interface TreeEntry {
  /** Name inside the archive, `/`-separated, starting with the top-level folder. */
  name: string
  absolutePath: string
  type: 'directory' | 'file' | 'symlink'
  linkTarget?: string
}

/** A packed file with more than one name: which file it is, for `refuseLinksFromOutside`. */
interface LinkedFile {
  name: string
  dev: number
  ino: number
  nlink: number
}

/** Files up to this size are read in one call; larger ones are streamed in chunks of it. */
const WHOLE_READ_BYTES = 1024 * 1024
/**
 * zlib runs each write as one thread-pool job: headers and small files are gathered into
 * pieces of this size, written while the next piece is read.
 */
const GZIP_INPUT_BYTES = 1024 * 1024
/** Bytes waiting for zlib before packing waits for it: memory stays bounded, reads overlap. */
const GZIP_QUEUE_BYTES = 4 * 1024 * 1024
/** The gzip header's OS byte: Unix, whichever platform made the archive. */
const GZIP_OS_UNIX = 3
/** Two zero blocks end a tar archive (tar-stream writes no further record padding). */
const END_OF_ARCHIVE_BYTES = 2 * BLOCK_BYTES

/**
 * Packs a directory into a reproducible `.tar.gz`: the same tree gives the same bytes on
 * every run and machine (same Node zlib). Entries are sorted by name in byte order, stamped
 * with `sourceDateEpoch`, owned by 0:0 without user or group names, with modes normalised to
 * 0755 (directories, executables) or 0644, and plain ustar headers (no atime/ctime), PAX only
 * for names ustar cannot hold: the bytes tar-stream's `pack()` wrote before headers were
 * encoded here. The gzip header carries no name and mtime 0. Symbolic links are kept only
 * when they stay inside the directory. Large files stream through in 1 MiB reads; memory
 * does not grow with file size.
 *
 * Returns what `scanArchive` would report for the written file (its size and sha256, and
 * the member listing with flags), computed while packing, so the archive is not read back.
 *
 * Small files and metadata are read synchronously: for trees of many small files a
 * thread-pool round trip per open/stat/read/close costs ten times the system call itself.
 */
export async function createReproducibleTarball(options: TarballOptions): Promise<ArchiveScan> {
  const entries = await collectTree(options)
  const encoder = new TarHeaderEncoder(options.sourceDateEpoch)
  const limits = new ScanLimits(
    options.limits ?? DEFAULT_ARCHIVE_LIMITS,
    options.displayPath,
    options.archiveName ?? path.basename(options.outFile),
  )
  const gzip = createGzip()
  const output = new ArchiveOutput()
  const written = pipeline(gzip, output, createWriteStream(options.outFile))
  // Awaited below; until then, a failed write must not count as an unhandled rejection.
  written.catch(() => {})
  const feed = new GzipFeed(gzip, written)
  const listing: ArchiveListing = { flags: [], members: [] }
  const linked: LinkedFile[] = []
  try {
    for (const entry of entries) {
      if (entry.type === 'file') {
        const { fd, fields } = openFile(entry, linked)
        try {
          const member = addMember(listing, fields)
          // Awaited only for a large file: an await per small file costs more than its read.
          member.sha256 =
            fields.size > WHOLE_READ_BYTES
              ? await packLargeContents(fd, entry, fields, encoder, limits, feed)
              : packSmallContents(fd, entry, fields, encoder, limits, feed)
        } finally {
          closeSync(fd)
        }
      } else {
        packOtherEntry(entry, listing, encoder, limits, feed)
      }
      if (feed.full) await feed.flush()
    }
    // Which files have other names is known once each is opened; checked here, after the
    // last, so that a refused tree still fails the call (its partial archive is discarded).
    refuseLinksFromOutside(options, linked)
    feed.zeros(END_OF_ARCHIVE_BYTES)
    limits.data(END_OF_ARCHIVE_BYTES)
    feed.end()
    await written
  } catch (error) {
    gzip.destroy(error as Error)
    await written.catch(() => {})
    throw error
  }
  return { size: output.bytes, digests: { sha256: output.digest() }, listing }
}

/** Lists the member as `scanArchive` would (`tar.extract()`'s header), flagged likewise. */
function addMember(listing: ArchiveListing, fields: TarHeaderFields): ArchiveMember {
  const member = archiveMember(fields.name, fields.type, fields.size, fields.linkname || undefined)
  listing.members.push(member)
  const flag = flagMember(member)
  if (flag) listing.flags.push({ path: member.path, reason: flag })
  return member
}

/**
 * Writes the entry's header at the feed's end, with room for `dataBytes` after it; returns
 * where the data goes.
 */
function writeHeader(
  fields: TarHeaderFields,
  encoder: TarHeaderEncoder,
  limits: ScanLimits,
  feed: GzipFeed,
  dataBytes: number,
): number {
  feed.reserve(BLOCK_BYTES + dataBytes)
  let headerBytes = BLOCK_BYTES
  if (!encoder.encodeUstarInto(feed.buffer, feed.offset, fields)) {
    const pax = encoder.encode(fields)
    headerBytes = pax.length
    feed.reserve(headerBytes + dataBytes)
    pax.copy(feed.buffer, feed.offset)
  }
  limits.member(headerBytes, fields.size)
  feed.advance(headerBytes)
  return feed.offset
}

/** A directory or a symbolic link: a header without data; mode and size are fixed. */
function packOtherEntry(
  entry: TreeEntry,
  listing: ArchiveListing,
  encoder: TarHeaderEncoder,
  limits: ScanLimits,
  feed: GzipFeed,
): void {
  const fields: TarHeaderFields = {
    name: entry.name,
    type: entry.type,
    mode: entry.type === 'directory' ? 0o755 : 0o777,
    size: 0,
  }
  if (entry.linkTarget !== undefined) fields.linkname = entry.linkTarget
  addMember(listing, fields)
  writeHeader(fields, encoder, limits, feed, 0)
}

/**
 * Opens a listed file for packing: its header's mode and size, and its identity for the
 * hard-link check (recorded in `linked` if it has other names), come from the fstat of the
 * descriptor its contents are then read from.
 */
function openFile(entry: TreeEntry, linked: LinkedFile[]): { fd: number; fields: TarHeaderFields } {
  const fd = openListed(entry)
  let info
  try {
    info = fstatSync(fd)
  } catch (error) {
    closeSync(fd)
    unreadable(entry, error)
  }
  // A directory or FIFO renamed over the file since the listing opens too.
  if (!info.isFile()) {
    closeSync(fd)
    throw changed(entry)
  }
  if (info.nlink > 1) {
    linked.push({ name: entry.name, dev: info.dev, ino: info.ino, nlink: info.nlink })
  }
  const mode = info.mode & 0o111 ? 0o755 : 0o644
  return { fd, fields: { name: entry.name, type: 'file', mode, size: info.size } }
}

/**
 * A file of up to 1 MiB: header, contents and padding in one piece; returns the contents'
 * sha256. Exactly the fstat's size is read, in as many reads as that takes (one, almost
 * always), without a read to see EOF: one system call of five per file in a tree of small
 * files. A file that ends early changed since the fstat.
 */
function packSmallContents(
  fd: number,
  entry: TreeEntry,
  fields: TarHeaderFields,
  encoder: TarHeaderEncoder,
  limits: ScanLimits,
  feed: GzipFeed,
): string {
  const size = fields.size
  const padding = paddingOf(size)
  const at = writeHeader(fields, encoder, limits, feed, size + padding)
  readFully(fd, entry, feed.buffer.subarray(at, at + size))
  const sha256 = hash('sha256', feed.buffer.subarray(at, at + size))
  feed.buffer.fill(0, at + size, at + size + padding)
  feed.advance(size + padding)
  limits.data(size + padding)
  return sha256
}

/** A file over 1 MiB, streamed through in 1 MiB reads behind its header; returns its sha256. */
async function packLargeContents(
  fd: number,
  entry: TreeEntry,
  fields: TarHeaderFields,
  encoder: TarHeaderEncoder,
  limits: ScanLimits,
  feed: GzipFeed,
): Promise<string> {
  const size = fields.size
  writeHeader(fields, encoder, limits, feed, 0)
  const digest = createHash('sha256')
  let done = 0
  while (done < size) {
    const chunk = Buffer.allocUnsafe(Math.min(WHOLE_READ_BYTES, size - done))
    readFully(fd, entry, chunk)
    digest.update(chunk)
    done += chunk.length
    await feed.writeLarge(chunk)
  }
  // A file that grew since the fstat would be packed cut short, its header's size too small.
  let grew: boolean
  try {
    grew = readSync(fd, Buffer.allocUnsafe(1), 0, 1, null) > 0
  } catch (error) {
    unreadable(entry, error)
  }
  if (grew) throw changed(entry)
  const padding = paddingOf(size)
  feed.zeros(padding)
  limits.data(size + padding)
  return digest.digest('hex')
}

/**
 * The limits `scanArchive` applies to an archive, applied here to the one being written so
 * that a directory is refused as its tarball would be, with the same words, counted in the
 * order the scan meets them: the tar stream's length, then the entry, then its declared size.
 * The scan counts the stream in gunzip's output pieces (16 KiB), a little ahead of the header
 * it parses: where the stream's length and a member cross a limit within one piece, the scan
 * may name the length where this names the member.
 *
 * The scan's compression-ratio check is left out on purpose: it guards against a hostile
 * archive's decompression bomb, and this archive is the one being made from the directory's
 * own files, whose size the other two limits already bound.
 */
class ScanLimits {
  readonly #tally: ArchiveTally
  readonly #where: string

  constructor(limits: ArchiveLimits, displayPath: string, label: string) {
    this.#tally = new ArchiveTally(limits, label)
    this.#where = displayPath
  }

  /** One member whose header (PAX records included) takes `headerBytes`. */
  member(headerBytes: number, size: number): void {
    this.#refusing(() => {
      this.#tally.stream(headerBytes)
      this.#tally.entry()
      this.#tally.declare(size)
    })
  }

  /** Bytes of tar stream: headers, contents, padding, the end-of-archive blocks. */
  data(bytes: number): void {
    this.#refusing(() => this.#tally.stream(bytes))
  }

  /** A limit crossed refuses the directory, in the words `measure` gives a scanned archive. */
  #refusing(count: () => void): void {
    try {
      count()
    } catch (error) {
      if (!(error instanceof ArchiveScanError)) throw error
      throw new InputError('subject-path', `'${this.#where}': ${error.message}`, { cause: error })
    }
  }
}

/**
 * The tar stream on its way into gzip: headers and small files are written into a batch
 * buffer that goes to zlib once it holds about 1 MiB, large files' chunks go as they are.
 * Packing waits for zlib only while more than 4 MiB are queued, and then only until the
 * oldest piece is compressed ('drain' would wait for all of them, leaving zlib idle until
 * the next batch): memory stays bounded and reading overlaps compressing.
 */
class GzipFeed {
  readonly #gzip: Gzip
  readonly #failed: Promise<void>
  #buffer: Buffer = Buffer.allocUnsafe(2 * GZIP_INPUT_BYTES)
  #filled = 0
  /** Bytes handed to zlib and not yet compressed. */
  #queued = 0
  #wakeUp: (() => void) | undefined
  /** Batch buffers zlib has finished compressing, to be filled again. */
  readonly #spare: Buffer[] = []

  constructor(gzip: Gzip, written: Promise<void>) {
    this.#gzip = gzip
    this.#failed = written
  }

  /** The batch buffer; valid until the next `reserve`. */
  get buffer(): Buffer {
    return this.#buffer
  }

  /** Where the next bytes go in `buffer`. */
  get offset(): number {
    return this.#filled
  }

  get full(): boolean {
    return this.#filled >= GZIP_INPUT_BYTES
  }

  /** Makes room for `bytes` contiguous bytes at `offset`. */
  reserve(bytes: number): void {
    if (this.#filled + bytes <= this.#buffer.length) return
    this.#send()
    if (bytes > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(bytes)
  }

  /** Takes `bytes` written at `offset` into the stream. */
  advance(bytes: number): void {
    this.#filled += bytes
  }

  zeros(bytes: number): void {
    this.reserve(bytes)
    this.#buffer.fill(0, this.#filled, this.#filled + bytes)
    this.#filled += bytes
  }

  /**
   * Hands the batch to zlib and lets the event loop turn, longer if too much is queued.
   * zlib starts its next queued piece from the event loop: packing synchronously from one
   * batch to the next would leave its thread idle.
   */
  async flush(): Promise<void> {
    this.#send()
    await this.#room()
  }

  /** A large file's chunk, after what is batched before it. */
  async writeLarge(chunk: Buffer): Promise<void> {
    this.#send()
    this.#write(chunk)
    await this.#room()
  }

  end(): void {
    this.#send()
    this.#gzip.end()
  }

  #send(): void {
    if (this.#filled === 0) return
    // zlib reads the batch until it has compressed it: the next batch goes into another
    // buffer, one zlib is done with if there is one (fewer large allocations, fewer GCs).
    const batch = this.#buffer
    this.#write(batch.subarray(0, this.#filled), batch)
    this.#buffer = this.#spare.pop() ?? Buffer.allocUnsafe(2 * GZIP_INPUT_BYTES)
    this.#filled = 0
  }

  #write(piece: Buffer, batch?: Buffer): void {
    this.#queued += piece.length
    // Called once zlib has compressed the piece (or failed: then `#failed` ends any wait).
    this.#gzip.write(piece, (error) => {
      if (batch && !error && batch.length === 2 * GZIP_INPUT_BYTES) this.#spare.push(batch)
      this.#queued -= piece.length
      const wakeUp = this.#wakeUp
      if (wakeUp && this.#queued <= GZIP_QUEUE_BYTES) {
        this.#wakeUp = undefined
        wakeUp()
      }
    })
  }

  async #room(): Promise<void> {
    if (this.#queued <= GZIP_QUEUE_BYTES) {
      await new Promise((resolve) => setImmediate(resolve))
      return
    }
    const compressed = new Promise<void>((resolve) => (this.#wakeUp = resolve))
    await Promise.race([compressed, this.#failed])
  }
}

/**
 * The listed file's descriptor. O_NOFOLLOW refuses a symbolic link swapped in for the file
 * after the listing (which would pack whatever it points at); O_NONBLOCK keeps a FIFO swapped
 * in from blocking the open. Another regular file renamed over it is packed as what the
 * name holds: its mode, size and identity are read from this descriptor, so a hard link
 * renamed in is still seen by the hard-link check.
 */
function openListed(entry: TreeEntry): number {
  try {
    return openSync(entry.absolutePath, OPEN_READ_NO_FOLLOW)
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOOP') throw changed(entry)
    unreadable(entry, error)
  }
}

/** Fills `into` from the file's current position; a file that ends first changed. */
function readFully(fd: number, entry: TreeEntry, into: Buffer): void {
  let filled = 0
  try {
    while (filled < into.length) {
      const read = readSync(fd, into, filled, into.length - filled, null)
      if (read === 0) throw changed(entry)
      filled += read
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    unreadable(entry, error)
  }
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
  // Directory names end in '/', as GNU tar writes them.
  const entries: TreeEntry[] = [{ name: `${rootName}/`, absolutePath: root, type: 'directory' }]
  // Names are joined by hand: path.join and path.relative per entry cost more than the
  // listing's own system calls, and readdir's names never hold a separator.
  const pending = [{ absolutePath: root, name: `${rootName}/` }]
  while (pending.length > 0) {
    const directory = pending.pop() as { absolutePath: string; name: string }
    const base = directory.absolutePath.endsWith(path.sep)
      ? directory.absolutePath
      : directory.absolutePath + path.sep
    for (const dirent of readdirSync(directory.absolutePath, { withFileTypes: true })) {
      const absolutePath = base + dirent.name
      const name = directory.name + dirent.name
      const type = typeOf(dirent, absolutePath)
      if (type === 'directory') {
        entries.push({ name: `${name}/`, absolutePath, type })
        pending.push({ absolutePath, name: `${name}/` })
      } else if (type === 'file') {
        entries.push({ name, absolutePath, type })
      } else if (type === 'symlink') {
        const linkTarget = readlinkSync(absolutePath)
        await checkLinkStaysInside(options, root, realRoot, absolutePath, linkTarget)
        entries.push({ name, absolutePath, type, linkTarget })
      } else {
        throw new InputError(
          'subject-path',
          `directory '${options.displayPath}' contains ${name.slice(rootName.length + 1)}, which is neither a file, a directory nor a symbolic link; remove it before releasing the directory`,
        )
      }
    }
  }
  entries.sort((a, b) => compareNames(a.name, b.name))
  return entries
}

/**
 * The entry's type as readdir gives it; undefined for any other type (FIFO, socket, device).
 * Where the file system leaves the type unknown (DT_UNKNOWN: none of the Dirent's checks is
 * true), lstat tells it.
 */
function typeOf(dirent: Dirent, absolutePath: string): TreeEntry['type'] | undefined {
  if (dirent.isFile()) return 'file'
  if (dirent.isDirectory()) return 'directory'
  if (dirent.isSymbolicLink()) return 'symlink'
  const known =
    dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()
  if (known) return undefined
  const info = lstatSync(absolutePath)
  if (info.isFile()) return 'file'
  if (info.isDirectory()) return 'directory'
  if (info.isSymbolicLink()) return 'symlink'
  return undefined
}

/**
 * A hard link packs the file's contents whatever its other names are: one outside the
 * workspace (`ln /etc/passwd dist/passwd`) would put a file from elsewhere into the archive.
 * `linked` holds the packed files with more than one name, in archive order. Names inside
 * the directory are counted from them; only files with names left over are looked for in
 * `confinedTo`.
 */
function refuseLinksFromOutside(options: TarballOptions, linked: readonly LinkedFile[]): void {
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

/**
 * The compressed bytes on their way to the file: rewrites the gzip header's OS byte, the
 * only header byte zlib derives from the platform, then counts and hashes what is written,
 * which is the file's size and digest.
 */
class ArchiveOutput extends Transform {
  readonly #hash = createHash('sha256')
  #offset = 0

  /** Bytes passed on so far: the archive file's size once the stream has ended. */
  get bytes(): number {
    return this.#offset
  }

  digest(): string {
    return this.#hash.digest('hex')
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const osByte = 9 - this.#offset
    if (osByte >= 0 && osByte < chunk.length) chunk[osByte] = GZIP_OS_UNIX
    this.#offset += chunk.length
    this.#hash.update(chunk)
    callback(null, chunk)
  }
}
