import { lstatSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** A file with more than one name: which file it is and how many names it has. */
export interface HardLinked {
  dev: number
  ino: number
  nlink: number
}

/**
 * Of `files` (each with more than one name), those with a name outside `root`. A hard link is
 * the same file under another name, so `ln /etc/passwd dist/passwd` would release a file that
 * lies outside the workspace although no path leads out of it. The names inside `root` are
 * counted by walking it (symbolic links not followed), stopping as soon as every name of every
 * file is found; a file with fewer names inside than it has in all has one outside. A folder
 * that cannot be listed leaves its names uncounted: the file then counts as linked from outside.
 */
export function hardLinksLeaving<T extends HardLinked>(root: string, files: readonly T[]): T[] {
  const found = new Map<string, number>()
  let missing = 0
  for (const file of files) {
    const key = `${file.dev}:${file.ino}`
    if (!found.has(key)) missing += file.nlink
    found.set(key, 0)
  }
  const pending = [root]
  while (pending.length > 0 && missing > 0) {
    const directory = pending.pop() as string
    let names
    try {
      names = readdirSync(directory, { withFileTypes: true })
    } catch {
      continue
    }
    for (const dirent of names) {
      const absolutePath = path.join(directory, dirent.name)
      if (dirent.isDirectory()) pending.push(absolutePath)
      if (!dirent.isFile()) continue
      let info
      try {
        info = lstatSync(absolutePath)
      } catch {
        continue
      }
      if (info.nlink < 2) continue
      const key = `${info.dev}:${info.ino}`
      const count = found.get(key)
      if (count === undefined) continue
      found.set(key, count + 1)
      missing--
    }
  }
  return files.filter((file) => (found.get(`${file.dev}:${file.ino}`) ?? 0) < file.nlink)
}
