import type { Dirent } from 'node:fs'
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { mapLimit } from '../util/concurrency.ts'
import { InputError } from '../util/errors.ts'
import { isInside } from '../util/path.ts'

export type InputName = 'subject-path' | 'subject-checksums'

/** A folder's entries as a walk already read them (absolute folder path, no trailing separator). */
export type FolderListings = ReadonlyMap<string, readonly Dirent[]>

/** A path inside the workspace that names a regular file or a directory. */
export interface WorkspaceEntry {
  absolutePath: string
  /** Relative to the workspace, `/`-separated. */
  relativePath: string
  kind: 'file' | 'directory'
  /** Known when the path was examined on its own; many files are typed from their folder. */
  size?: number
  /**
   * The same file with every symbolic link resolved (its folder's real path and its own
   * name): what is opened, with O_NOFOLLOW, so that a link swapped in later is not followed.
   */
  realPath?: string
  /** Device and inode, known when the path was examined on its own (as `size`). */
  identity?: { dev: number; ino: number }
}

/**
 * Confines paths to the workspace, both by their spelling and after following symbolic links,
 * so that a release can never publish `/etc/passwd` through `dist/x -> /etc/passwd`.
 */
export class Workspace {
  readonly root: string
  readonly realRoot: string
  readonly #realDirs = new Map<string, Promise<string>>()

  private constructor(root: string, realRoot: string) {
    this.root = root
    this.realRoot = realRoot
  }

  static async open(workspace: string): Promise<Workspace> {
    const root = path.resolve(workspace)
    let realRoot: string
    try {
      realRoot = await realpath(root)
      if (!(await stat(realRoot)).isDirectory()) throw new Error('not a directory')
    } catch (error) {
      throw new Error(`workspace ${root} is not a readable directory`, { cause: error })
    }
    return new Workspace(root, realRoot)
  }

  /** Workspace-relative, `/`-separated. Plain prefix slicing when possible: path.relative is slow in bulk. */
  relative(absolutePath: string): string {
    const prefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep
    const relative =
      absolutePath.startsWith(prefix) && !hasDotSegment(absolutePath.slice(prefix.length))
        ? absolutePath.slice(prefix.length)
        : path.relative(this.root, absolutePath)
    return path.sep === '/' ? relative : relative.split(path.sep).join('/')
  }

  /** The absolute path of a workspace-relative one, such as a glob result. */
  absolute(relativePath: string): string {
    if (path.isAbsolute(relativePath) || hasDotSegment(relativePath))
      return path.resolve(this.root, relativePath)
    const joined = (this.root.endsWith(path.sep) ? this.root : this.root + path.sep) + relativePath
    return path.sep === '/' ? joined : joined.replace(/\//g, path.sep)
  }

  isInside(absolutePath: string, root = this.root): boolean {
    return isInside(root, absolutePath)
  }

  /**
   * Checks that `absolutePath` lies in the workspace and, with symbolic links resolved, still
   * does; returns what it is. `what` describes the path in error messages.
   */
  async entry(absolutePath: string, input: InputName, what: string): Promise<WorkspaceEntry> {
    const relativePath = this.relative(absolutePath)
    if (!this.isInside(absolutePath)) {
      throw new InputError(
        input,
        `${what} resolves outside the workspace (${absolutePath}); only files inside ${this.root} can be released`,
      )
    }
    let real: string
    let info: Awaited<ReturnType<typeof stat>>
    try {
      const link = await lstat(absolutePath)
      real = link.isSymbolicLink()
        ? await realpath(absolutePath)
        : path.join(await this.#realDir(path.dirname(absolutePath)), path.basename(absolutePath))
      info = link.isSymbolicLink() ? await stat(real) : link
    } catch (error) {
      throw new InputError(
        input,
        `cannot read ${what} (${relativePath}): ${codeOf(error)}; check that it exists and is readable`,
        { cause: error },
      )
    }
    if (!this.isInside(real, this.realRoot)) {
      throw new InputError(
        input,
        `${what} (${relativePath}) is a symbolic link that resolves outside the workspace (${real}); only files inside the workspace can be released`,
      )
    }
    if (info.isFile()) {
      const identity = { dev: info.dev, ino: info.ino }
      return { absolutePath, relativePath, kind: 'file', size: info.size, realPath: real, identity }
    }
    if (info.isDirectory()) return { absolutePath, relativePath, kind: 'directory' }
    throw new InputError(
      input,
      `${what} (${relativePath}) is neither a regular file nor a directory; only files and directories can be released`,
    )
  }

  /**
   * `entry` for many paths at once, given relative to the workspace as a glob returns them.
   * Plain files and folders are typed from one listing of their folder instead of one lstat
   * each (which dominates for tens of thousands of files); symbolic links and anything unusual
   * take the careful path (`what` describes a path by its absolute form there).
   *
   * Per file this makes the entry and its absolute path and nothing else: 20,000 matches had
   * cost 35-55 ms here, most of it a map of each folder's names, a dirname, a relative path
   * rebuilt equal to the one given, and the garbage collections all that caused. A glob lists
   * a folder's files together and in the listing's order, so a folder is looked up once per run
   * of its files and its entries are matched by walking the listing alongside (a map is built
   * only for a folder whose files come in another order).
   */
  async entries(
    relativePaths: readonly string[],
    input: InputName,
    what: (absolutePath: string) => string,
    listings?: FolderListings,
  ): Promise<WorkspaceEntry[]> {
    const normalized = relativePaths.map((relative) =>
      isPlainRelative(relative) ? relative : this.relative(this.absolute(relative)),
    )
    const byDirectory = new Map<string, number[]>()
    let folder: string | undefined
    let indexes: number[] = []
    for (let index = 0; index < normalized.length; index++) {
      const relative = normalized[index] as string
      const slash = relative.lastIndexOf('/')
      const sameFolder =
        folder !== undefined &&
        (slash < 0 ? folder === '' : slash === folder.length && relative.startsWith(folder))
      if (!sameFolder) {
        folder = slash < 0 ? '' : relative.slice(0, slash)
        const known = byDirectory.get(folder)
        if (known) indexes = known
        else byDirectory.set(folder, (indexes = []))
      }
      indexes.push(index)
    }
    const rootPrefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep
    const results = new Array<WorkspaceEntry>(normalized.length)
    const careful: number[] = []
    await mapLimit([...byDirectory], 8, async ([relativeDirectory, indexes]) => {
      const directory = relativeDirectory === '' ? this.root : this.absolute(relativeDirectory)
      let listed: readonly Dirent[] = []
      let directoryInside = false
      let realDirectory = directory
      try {
        listed = listings?.get(directory) ?? (await readdir(directory, { withFileTypes: true }))
        realDirectory = await this.#realDir(directory)
        directoryInside = this.isInside(directory) && this.isInside(realDirectory, this.realRoot)
      } catch {
        // Unreadable folder: its paths take the careful path, which reports the error.
      }
      const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep
      const realPrefix = realDirectory.endsWith(path.sep) ? realDirectory : realDirectory + path.sep
      const nameStart = relativeDirectory === '' ? 0 : relativeDirectory.length + 1
      let byName: Map<string, Dirent> | undefined
      let cursor = 0
      for (const index of indexes) {
        const relative = normalized[index] as string
        const nameLength = relative.length - nameStart
        let dirent: Dirent | undefined
        if (!byName) {
          let at = cursor
          while (at < listed.length) {
            const name = (listed[at] as Dirent).name
            if (name.length === nameLength && relative.endsWith(name)) break
            at++
          }
          if (at < listed.length) {
            dirent = listed[at]
            cursor = at + 1
          } else {
            // Not ahead in the listing: this folder's files come in another order.
            byName = new Map(listed.map((entry) => [entry.name, entry]))
          }
        }
        if (byName) dirent = byName.get(relative.slice(nameStart))
        if (!directoryInside || !dirent || !(dirent.isFile() || dirent.isDirectory())) {
          careful.push(index)
          continue
        }
        // The folder's prefix and the name, as one string: the root's prefix and the path.
        const absolutePath = path.sep === '/' ? rootPrefix + relative : this.absolute(relative)
        results[index] = dirent.isFile()
          ? {
              absolutePath,
              relativePath: relative,
              kind: 'file',
              realPath:
                realPrefix === prefix ? absolutePath : realPrefix + relative.slice(nameStart),
            }
          : { absolutePath, relativePath: relative, kind: 'directory' }
      }
    })
    for (const index of careful) {
      const absolutePath = this.absolute(normalized[index] as string)
      results[index] = await this.entry(absolutePath, input, what(absolutePath))
    }
    return results
  }

  #realDir(directory: string): Promise<string> {
    let real = this.#realDirs.get(directory)
    if (!real) {
      real = realpath(directory)
      this.#realDirs.set(directory, real)
    }
    return real
  }
}

const DOT_OR_EMPTY_SEGMENT = /(^|[\\/])\.{0,2}([\\/]|$)/

function hasDotSegment(relativePath: string): boolean {
  return DOT_OR_EMPTY_SEGMENT.test(relativePath)
}

/**
 * A relative path with no `.`, `..` or empty segment, so the same string names the file when
 * joined to the root: checked with `includes` first, a regular expression per path only when
 * one of the characters that start such a segment is there.
 */
function isPlainRelative(relativePath: string): boolean {
  if (relativePath === '' || path.isAbsolute(relativePath)) return false
  if (path.sep !== '/' && relativePath.includes(path.sep)) return false
  const suspect =
    relativePath.charCodeAt(0) === 46 /* . */ ||
    relativePath.includes('/.') ||
    relativePath.includes('//') ||
    relativePath.endsWith('/')
  return !suspect || !hasDotSegment(relativePath)
}

export function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code
  }
  return error instanceof Error ? error.message : String(error)
}
