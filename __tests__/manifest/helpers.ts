import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach } from 'vitest'

export const exec = promisify(execFile)

const made: string[] = []

/** A fresh temporary folder, removed after the test. */
export async function tempDir(prefix = 'manifest-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Writes files given as `relative path -> contents`, creating folders. */
export async function writeTree(
  root: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  for (const [relative, contents] of Object.entries(files)) {
    const file = path.join(root, relative)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, contents)
  }
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

export function sha512(data: string | Buffer): string {
  return createHash('sha512').update(data).digest('hex')
}

/** A workspace and a separate output folder. */
export async function workspaceWithOut(): Promise<{ workspace: string; outDir: string }> {
  const root = await tempDir()
  const workspace = path.join(root, 'ws')
  const outDir = path.join(root, 'out')
  await mkdir(workspace)
  return { workspace, outDir }
}

/** Lists a folder, or [] when it does not exist. */
export async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}
