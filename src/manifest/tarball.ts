import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { lstat, readFile, readdir, readlink, realpath } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import * as tar from 'tar-stream'
import { InputError } from '../util/errors.ts'

export interface TarballOptions {
  /** The directory to pack; its base name becomes the archive's top-level folder. */
  directory: string
  /** Where the `.tar.gz` is written. */
  outFile: string
  /** Seconds since the epoch stamped on every entry (SOURCE_DATE_EPOCH). */
  sourceDateEpoch: number
  /** Names the directory in error messages (workspace-relative). */
  displayPath: string
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
}

/** Files up to this size are read in one call; larger ones are streamed in chunks of it. */
const WHOLE_READ_BYTES = 1024 * 1024
/** Small files read ahead of the packer, so that it rarely waits for the disk. */
const READ_AHEAD = 32
/** The gzip header's OS byte: Unix, whichever platform made the archive. */
const GZIP_OS_UNIX = 3

/**
 * Packs a directory into a reproducible `.tar.gz`: the same tree gives the same bytes on
 * every run and machine (same Node zlib). Entries are sorted by name in byte order, stamped
 * with `sourceDateEpoch`, owned by 0:0 without user or group names, with modes normalised to
 * 0755 (directories, executables) or 0644, and plain ustar headers (no atime/ctime). The gzip
 * header carries no name and mtime 0. Symbolic links are kept only when they stay inside the
 * directory. File contents stream through; no file is held in memory whole beyond one read.
 */
export async function createReproducibleTarball(options: TarballOptions): Promise<void> {
  const entries = await collectTree(options)
  const mtime = new Date(options.sourceDateEpoch * 1000)
  const pack = tar.pack()
  const written = pipeline(
    pack,
    createGzip(),
    new GzipHeaderNormaliser(),
    createWriteStream(options.outFile),
  )
  try {
    const reads = new Map<number, Promise<Buffer>>()
    let ahead = 0
    const readAhead = (from: number): void => {
      ahead = Math.max(ahead, from)
      for (; ahead < entries.length && reads.size < READ_AHEAD; ahead++) {
        const entry = entries[ahead] as TreeEntry
        if (entry.type === 'file' && entry.size <= WHOLE_READ_BYTES) {
          const read = readFile(entry.absolutePath)
          read.catch(() => {})
          reads.set(ahead, read)
        }
      }
    }
    for (const [index, entry] of entries.entries()) {
      readAhead(index)
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
      const contents = reads.get(index)
      reads.delete(index)
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
  contents?: Promise<Buffer>,
): Promise<void> {
  const buffer = contents
    ? await contents.catch((error: unknown) => unreadable(entry, error))
    : undefined
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve())
    if (buffer) {
      if (buffer.length !== entry.size) reject(changed(entry))
      else pack.entry(header, buffer, done)
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
    for await (const chunk of createReadStream(entry.absolutePath, {
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
    `${entry.absolutePath} changed size while its directory was being packed; release from a tree nothing is writing to`,
  )
}

async function collectTree(options: TarballOptions): Promise<TreeEntry[]> {
  const root = path.resolve(options.directory)
  const realRoot = await realpath(root)
  const rootName = path.basename(root)
  // Directory names end in '/', as GNU tar writes them.
  const entries: TreeEntry[] = [
    { name: `${rootName}/`, absolutePath: root, type: 'directory', mode: 0o755, size: 0 },
  ]
  const pending = [root]
  while (pending.length > 0) {
    const directory = pending.pop() as string
    for (const dirent of await readdir(directory, { withFileTypes: true })) {
      const absolutePath = path.join(directory, dirent.name)
      const name = rootName + '/' + path.relative(root, absolutePath).split(path.sep).join('/')
      const info = await lstat(absolutePath)
      if (info.isDirectory()) {
        entries.push({ name: `${name}/`, absolutePath, type: 'directory', mode: 0o755, size: 0 })
        pending.push(absolutePath)
      } else if (info.isFile()) {
        entries.push({
          name,
          absolutePath,
          type: 'file',
          mode: info.mode & 0o111 ? 0o755 : 0o644,
          size: info.size,
        })
      } else if (info.isSymbolicLink()) {
        const linkTarget = await readlink(absolutePath)
        await checkLinkStaysInside(options, root, realRoot, absolutePath, linkTarget)
        entries.push({ name, absolutePath, type: 'symlink', mode: 0o777, size: 0, linkTarget })
      } else {
        throw new InputError(
          'subject-path',
          `directory '${options.displayPath}' contains ${name.slice(rootName.length + 1)}, which is neither a file, a directory nor a symbolic link; remove it before releasing the directory`,
        )
      }
    }
  }
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
  return entries
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

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  return (
    relative === '' ||
    (!relative.startsWith('..' + path.sep) && relative !== '..' && !path.isAbsolute(relative))
  )
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
