// Reading a release folder: optional files, JSON with the file's name in the error, and the
// sha256 of every file.
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

/**
 * sha256 of every regular file in the folder (not recursive: release assets are flat), hashed
 * in parallel by the manifest's worker pool, as the release was.
 */
export async function hashFolder(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
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
  return files
}
