// Reading a release folder: optional files, JSON with the file's name in the error, the sha256
// of every regular file, and every other entry by name and type.
import type { Dirent } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { hashFiles } from '../manifest/index.ts'
import { errorMessage } from '../util/errors.ts'

/** The file's bytes, or undefined when it does not exist; any other read error is thrown. */
export async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export function parseJson(bytes: Buffer, name: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw new Error(`${name} is not JSON: ${errorMessage(error)}`, { cause: error })
  }
}

/** A folder entry that is not a regular file, so verify neither follows nor opens it. */
export interface OtherEntry {
  name: string
  kind: 'symbolic link' | 'folder' | 'FIFO' | 'socket' | 'block device' | 'character device'
}

/** What a folder holds: the regular files' sha256 by name, and every other entry by name. */
export interface FolderListing {
  files: Map<string, string>
  otherEntries: OtherEntry[]
}

// readdir's types come from lstat (or d_type), so a link is a link here, never its target.
function kindOf(entry: Dirent): OtherEntry['kind'] {
  if (entry.isSymbolicLink()) return 'symbolic link'
  if (entry.isDirectory()) return 'folder'
  if (entry.isFIFO()) return 'FIFO'
  if (entry.isSocket()) return 'socket'
  return entry.isBlockDevice() ? 'block device' : 'character device'
}

/**
 * sha256 of every regular file in the folder (not recursive: release assets are flat), hashed
 * in parallel by the manifest's worker pool, as the release was. Every other entry is listed
 * unopened: a link may point outside the folder, a sub-folder holds what no check looks at,
 * and opening a FIFO or a device would block or read something that is not a file.
 */
export async function hashFolder(dir: string): Promise<FolderListing> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name)
  const otherEntries = entries
    .filter((entry) => !entry.isFile())
    .map((entry) => ({ name: entry.name, kind: kindOf(entry) }))
  const outcomes = await hashFiles(
    names.map((name) => ({ path: join(dir, name), algorithms: ['sha256'] as const })),
  )
  const files = new Map<string, string>()
  names.forEach((name, i) => {
    const outcome = outcomes[i]
    if (outcome?.error || !outcome?.digests.sha256) {
      throw new Error(`cannot read ${name}: ${outcome?.error?.message ?? 'no digest'}`)
    }
    files.set(name, outcome.digests.sha256)
  })
  return { files, otherEntries }
}
