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
   * `entry` for many paths at once. Plain files and folders are typed from one listing of
   * their folder instead of one lstat each (which dominates for tens of thousands of files);
   * symbolic links and anything unusual take the careful path.
   */
  async entries(
    absolutePaths: readonly string[],
    input: InputName,
    what: (absolutePath: string) => string,
    listings?: FolderListings,
  ): Promise<WorkspaceEntry[]> {
    const byDirectory = new Map<string, number[]>()
    absolutePaths.forEach((absolutePath, index) => {
      const directory = path.dirname(absolutePath)
      const indexes = byDirectory.get(directory)
      if (indexes) indexes.push(index)
      else byDirectory.set(directory, [index])
    })
    const results = new Array<WorkspaceEntry>(absolutePaths.length)
    const careful: number[] = []
    await mapLimit([...byDirectory], 8, async ([directory, indexes]) => {
      let dirents: Map<string, Dirent> | undefined
      let directoryInside = false
      let realPrefix = ''
      try {
        const listed =
          listings?.get(directory) ?? (await readdir(directory, { withFileTypes: true }))
        dirents = new Map(listed.map((dirent) => [dirent.name, dirent]))
        const realDirectory = await this.#realDir(directory)
        realPrefix = realDirectory.endsWith(path.sep) ? realDirectory : realDirectory + path.sep
        directoryInside = this.isInside(directory) && this.isInside(realDirectory, this.realRoot)
      } catch {
        // Unlistable folder: each path gets the careful treatment and its own error.
      }
      // Inside a confined folder, a plain file or folder entry is confined too.
      const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep
      // One relative path per folder, not one per file (path.relative showed in profiles).
      const relativeDirectory = this.relative(directory)
      const relativeOf = (name: string): string =>
        relativeDirectory === '' ? name : `${relativeDirectory}/${name}`
      for (const index of indexes) {
        const absolutePath = absolutePaths[index] as string
        const name = absolutePath.slice(prefix.length)
        const dirent = dirents?.get(name)
        if (directoryInside && dirent?.isFile()) {
          results[index] = {
            absolutePath,
            relativePath: relativeOf(name),
            kind: 'file',
            realPath: realPrefix + name,
          }
        } else if (directoryInside && dirent?.isDirectory()) {
          results[index] = {
            absolutePath,
            relativePath: this.relative(absolutePath),
            kind: 'directory',
          }
        } else {
          careful.push(index)
        }
      }
    })
    for (const index of careful) {
      const absolutePath = absolutePaths[index] as string
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

export function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code
  }
  return error instanceof Error ? error.message : String(error)
}
