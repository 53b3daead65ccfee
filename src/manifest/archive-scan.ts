import { createHash, type Hash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import * as tar from 'tar-stream'
import { OPEN_READ_NO_FOLLOW } from '../util/open-flags.ts'
import { DEFAULT_READ_SIZE, type FileIdentity, type HashAlgorithm } from './hash-pool.ts'
import type { ArchiveLimits, ArchiveListing, ArchiveMember, ArchiveMemberType } from './types.ts'

/** The archive is too large, too many-membered, too compressed or not an archive at all. */
export class ArchiveScanError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ArchiveScanError'
  }
}

export interface ArchiveScan {
  /** Bytes of the archive file itself. */
  size: number
  /** Digests of the archive file itself. */
  digests: Partial<Record<HashAlgorithm, string>>
  listing: ArchiveListing
}

const MEMBER_TYPES: ReadonlySet<string> = new Set<ArchiveMemberType>([
  'file',
  'directory',
  'symlink',
  'link',
  'character-device',
  'block-device',
  'fifo',
  'contiguous-file',
])

/** What the extractor hands over per member: its header, its bytes and the call for the next one. */
type EntryEvent = tar.ExtractEvents['entry']

/**
 * An archive's members and tar-stream bytes counted against the entry and size limits; the
 * first limit crossed throws an `ArchiveScanError`. One count for the scan of an archive and
 * for the packer, which reports what a scan of the archive it writes would (tarball.ts).
 */
export class ArchiveTally {
  readonly #limits: ArchiveLimits
  readonly #label: string
  /** Bytes of tar stream (after gunzip, if any). */
  streamBytes = 0
  #entries = 0
  /** Sum of the members' declared sizes. */
  #declared = 0

  /** `label` names the archive in errors. */
  constructor(limits: ArchiveLimits, label: string) {
    this.#limits = limits
    this.#label = label
  }

  /** More bytes of tar stream: headers, contents, padding. */
  stream(bytes: number): void {
    this.streamBytes += bytes
    if (this.streamBytes > this.#limits.maxTotalBytes) {
      throw new ArchiveScanError(
        `archive ${this.#label} unpacks to more than ${this.#limits.maxTotalBytes} bytes; the scan stopped there`,
      )
    }
  }

  /** One more member. */
  entry(): void {
    this.#entries += 1
    if (this.#entries > this.#limits.maxEntries) {
      throw new ArchiveScanError(
        `archive ${this.#label} has more than ${this.#limits.maxEntries} entries; the scan stopped there`,
      )
    }
  }

  /** The member's declared size. */
  declare(size: number): void {
    this.#declared += size
    if (this.#declared > this.#limits.maxTotalBytes) {
      throw new ArchiveScanError(
        `archive ${this.#label} declares more than ${this.#limits.maxTotalBytes} bytes of members; the scan stopped there`,
      )
    }
  }
}

/**
 * Reads a `.tar` or `.tar.gz` once, hashing the file and, in the same pass, listing and
 * hashing its members. Nothing is extracted and nothing is buffered beyond one read: each
 * member's bytes stream into its hash. The scan stops with an `ArchiveScanError` at the first
 * limit it crosses.
 */
export async function scanArchive(
  filePath: string,
  kind: 'tar' | 'tar.gz',
  algorithms: readonly HashAlgorithm[],
  limits: ArchiveLimits,
  identity?: FileIdentity,
): Promise<ArchiveScan> {
  const label = path.basename(filePath)
  const file = await openListedArchive(filePath, label, identity)
  const fileHashes = algorithms.map((algorithm) => createHash(algorithm))
  const tally = new ArchiveTally(limits, label)
  /** Bytes read from the archive file. */
  let compressed = 0
  const listing: ArchiveListing = { flags: [], members: [] }

  const hashing = new PassThroughCounter((chunk) => {
    for (const hash of fileHashes) hash.update(chunk)
    compressed += chunk.length
  })
  const gunzip = kind === 'tar.gz' ? createGunzip() : undefined
  const limiting = new PassThroughCounter((chunk) => {
    tally.stream(chunk.length)
    checkExpansion(label, limits, tally.streamBytes, gunzip?.bytesWritten)
  })

  // Destroying the extractor surfaces in the pipeline as "premature close"; keep the reason.
  let stopped: ArchiveScanError | undefined
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    try {
      countEntry(header, label, tally)
      listMember(header, stream, next, listing)
    } catch (error) {
      stopped = error as ArchiveScanError
      stream.destroy()
      extract.destroy(stopped)
    }
  })

  const stages = gunzip ? [hashing, gunzip, limiting] : [hashing, limiting]
  try {
    // tar-stream's extractor is a streamx Writable, which Node's pipeline drives like its own.
    const run = pipeline as unknown as (...streams: unknown[]) => Promise<void>
    await run(file.createReadStream({ highWaterMark: DEFAULT_READ_SIZE }), ...stages, extract)
  } catch (error) {
    throw scanFailure(stopped ?? error, label, kind)
  }
  const digests: Partial<Record<HashAlgorithm, string>> = {}
  algorithms.forEach((algorithm, i) => {
    digests[algorithm] = fileHashes[i]?.digest('hex')
  })
  return { size: compressed, digests, listing }
}

/**
 * Stops a compressed archive that expands too much (`consumed` is undefined for a plain tar).
 * The ratio compares with what gunzip has consumed, not with what was read: one 4 MiB read of
 * a bomb would otherwise allow 800 MiB of output before the check could fire.
 */
function checkExpansion(
  label: string,
  limits: ArchiveLimits,
  uncompressed: number,
  consumed: number | undefined,
): void {
  if (consumed === undefined) return
  if (
    uncompressed > limits.ratioCheckAfterBytes &&
    uncompressed > limits.maxCompressionRatio * consumed
  ) {
    throw new ArchiveScanError(
      `archive ${label} expands more than ${limits.maxCompressionRatio}:1 (${uncompressed} bytes from ${consumed}); it looks like a decompression bomb, the scan stopped`,
    )
  }
}

/** Counts one member against the entry and declared-size limits; throws at the first crossed. */
function countEntry(header: tar.Header, label: string, tally: ArchiveTally): void {
  tally.entry()
  // tar-stream reads a size field in neither octal nor base-256 as null, then waits for
  // the member's data forever: a 2 KB archive would hang the scan.
  const size: unknown = header.size
  if (typeof size !== 'number' || !(size >= 0)) {
    throw new ArchiveScanError(
      `archive ${label} has a member (${JSON.stringify(header.name.slice(0, 100))}) whose size field is unreadable; the archive is corrupt`,
    )
  }
  tally.declare(size)
}

/** Adds the member (and any flag) to the listing and streams a regular file into its hash. */
function listMember(
  header: tar.Header,
  stream: EntryEvent[1],
  next: EntryEvent[2],
  listing: ArchiveListing,
): void {
  const member = describeMember(header)
  listing.members.push(member)
  const flag = flagMember(member)
  if (flag) listing.flags.push({ path: member.path, reason: flag })
  if (member.type === 'directory') {
    stream.resume()
    next()
    return
  }
  const memberHash: Hash | undefined =
    member.type === 'file' || member.type === 'contiguous-file' ? createHash('sha256') : undefined
  stream.on('data', (chunk: unknown) => {
    memberHash?.update(chunk as Buffer)
  })
  stream.on('end', () => {
    if (memberHash) member.sha256 = memberHash.digest('hex')
    next()
  })
  stream.on('error', (error: Error) => next(error))
}

/**
 * The archive the listing saw, as the hash workers open files: O_NOFOLLOW refuses a symbolic
 * link swapped in after the listing, the device and inode another file renamed over it, and
 * O_NONBLOCK keeps a FIFO swapped in from blocking the open.
 */
async function openListedArchive(
  filePath: string,
  label: string,
  identity: FileIdentity | undefined,
): Promise<FileHandle> {
  let file
  try {
    file = await open(filePath, OPEN_READ_NO_FOLLOW)
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOOP') throw error
    throw new ArchiveScanError(`${label} was replaced by a symbolic link after it was listed`)
  }
  const info = await file.stat()
  const same = !identity || (info.dev === identity.dev && info.ino === identity.ino)
  if (!info.isFile() || !same) {
    await file.close()
    throw new ArchiveScanError(`${label} was replaced by another file after it was listed`)
  }
  return file
}

/** What a failed scan reports: a limit crossed, a file that cannot be opened, or not an archive. */
function scanFailure(error: unknown, label: string, kind: 'tar' | 'tar.gz'): unknown {
  if (error instanceof ArchiveScanError) return error
  const code = (error as { code?: string }).code
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') return error
  return new ArchiveScanError(
    `${label} is named like a ${kind === 'tar' ? 'tar' : 'gzip-compressed tar'} archive but could not be read as one: ${(error as Error).message}`,
    { cause: error },
  )
}

function describeMember(header: tar.Header): ArchiveMember {
  const type = (MEMBER_TYPES.has(header.type) ? header.type : 'file') as ArchiveMemberType
  const linkTarget =
    (type === 'symlink' || type === 'link') && header.linkname ? header.linkname : undefined
  return archiveMember(header.name, type, header.size ?? 0, linkTarget)
}

/**
 * A member with its keys in UTF-16 order, the manifest's canonical order, and `sha256` kept
 * (empty) for a regular file until its bytes are hashed: the serialiser then writes the 20,000
 * members of a packed folder as they are instead of copying each (40 -> 11-18 ms).
 */
export function archiveMember(
  path: string,
  type: ArchiveMemberType,
  size: number,
  linkTarget?: string,
): ArchiveMember {
  const hashed = type === 'file' || type === 'contiguous-file'
  if (linkTarget !== undefined) return { linkTarget, path, size, type }
  return hashed ? { path, sha256: '', size, type } : { path, size, type }
}

/** Why extracting this member could write outside the target folder or create a device. */
export function flagMember(member: ArchiveMember): string | undefined {
  if (isAbsolute(member.path)) return 'absolute path'
  // The split only for a name with '..' in it: one array per member showed in profiles.
  if (member.path.includes('..') && member.path.split(/[\\/]/).includes('..'))
    return 'path with a parent-directory (..) segment'
  if (member.type === 'character-device' || member.type === 'block-device') return 'device node'
  if (member.type === 'fifo') return 'named pipe (FIFO)'
  if (member.type === 'symlink' || member.type === 'link') {
    const kind = member.type === 'symlink' ? 'symbolic link' : 'hard link'
    const target = member.linkTarget ?? ''
    if (isAbsolute(target)) return `${kind} to an absolute path (${target})`
    // A symbolic link resolves from its own folder, a hard link from the archive's root.
    const from = member.type === 'symlink' ? path.posix.dirname(member.path) : '.'
    const resolved = path.posix.normalize(path.posix.join(from, target.replace(/\\/g, '/')))
    if (resolved === '..' || resolved.startsWith('../'))
      return `${kind} pointing outside the archive (${target})`
  }
  return undefined
}

function isAbsolute(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)
}

/** Passes bytes through unchanged, showing each chunk to `inspect`, which may throw to stop. */
class PassThroughCounter extends Transform {
  readonly #inspect: (chunk: Buffer) => void

  constructor(inspect: (chunk: Buffer) => void) {
    super()
    this.#inspect = inspect
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#inspect(chunk)
      callback(null, chunk)
    } catch (error) {
      callback(error as Error)
    }
  }
}
