import type { Dirent } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Workspace, type WorkspaceEntry } from '../../src/manifest/workspace.ts'

// Workspace.entries types many glob results from their folders' listings. Each result must be
// what Workspace.entry reports for the same path on its own (less the size and identity, which
// only a stat gives), whatever order the paths and the listings come in.

let root: string
let workspace: Workspace

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ws-entries-'))
  for (const folder of ['a', 'b', 'a/deep', 'real']) await mkdir(path.join(root, folder))
  for (const file of ['top.bin', 'a/1.bin', 'a/2.bin', 'a/3.txt', 'b/1.bin', 'a/deep/x.bin'])
    await writeFile(path.join(root, file), file)
  await writeFile(path.join(root, 'real', 'r.bin'), 'r')
  await symlink(path.join(root, 'real'), path.join(root, 'linked'))
  await symlink(path.join(root, 'a', '1.bin'), path.join(root, 'b', 'link.bin'))
  workspace = await Workspace.open(root)
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** Each folder's listing as the glob's readdir saw it, in the given order. */
async function listingsOf(
  folders: string[],
  order: (names: Dirent[]) => Dirent[] = (names) => names,
): Promise<Map<string, Dirent[]>> {
  const listings = new Map<string, Dirent[]>()
  for (const folder of folders) {
    const absolute = folder === '' ? root : path.join(root, folder)
    listings.set(absolute, order(await readdir(absolute, { withFileTypes: true })))
  }
  return listings
}

async function oneByOne(relativePaths: string[]): Promise<WorkspaceEntry[]> {
  const entries: WorkspaceEntry[] = []
  for (const relative of relativePaths) {
    const {
      size: _size,
      identity: _identity,
      ...entry
    } = await workspace.entry(path.resolve(root, relative), 'subject-path', relative)
    entries.push(entry)
  }
  return entries
}

const paths = [
  'a/1.bin',
  'a/3.txt',
  'b/1.bin',
  'a/2.bin', // folder a again, after b
  'top.bin',
  'a/deep',
  'a/deep/x.bin',
  'linked/r.bin', // a folder reached through a link inside the workspace
  'b/link.bin', // a file that is a link: typed the careful way
  'a/./2.bin',
  'b/../a/1.bin',
]

/**
 * The paths typed from a listing: only the careful path (a stat) knows a file's size, so an
 * entry typed the careful way where a listing had it would pass the comparison unnoticed.
 */
function fromListings(typed: WorkspaceEntry[]): string[] {
  return typed.flatMap((entry, i) => (entry.size === undefined ? [paths[i] as string] : []))
}

const describeAs = (absolutePath: string) => `'${absolutePath}'`

describe('Workspace.entries', () => {
  it('types paths in any order like entry() does, from listings in their own order', async () => {
    const listings = await listingsOf(['', 'a', 'b', 'a/deep'])
    const typed = await workspace.entries(paths, 'subject-path', describeAs, listings)
    const expected = await oneByOne(paths)
    expect(typed.map(({ size: _s, identity: _i, ...entry }) => entry)).toEqual(expected)
    expect(fromListings(typed)).toEqual(paths.filter((p) => p !== 'b/link.bin'))
  })

  it('gives the same when each listing is in the opposite order (looked up by name)', async () => {
    const listings = await listingsOf(['', 'a', 'b', 'a/deep'], (names) => [...names].reverse())
    const typed = await workspace.entries(paths, 'subject-path', describeAs, listings)
    expect(typed.map(({ size: _s, identity: _i, ...entry }) => entry)).toEqual(
      await oneByOne(paths),
    )
    expect(fromListings(typed)).toEqual(paths.filter((p) => p !== 'b/link.bin'))
  })

  it('reads the folders the walk did not list, and reports a missing file by its path', async () => {
    const typed = await workspace.entries(['a/2.bin', 'b/1.bin'], 'subject-path', describeAs)
    expect(typed.map((entry) => entry.relativePath)).toEqual(['a/2.bin', 'b/1.bin'])
    expect(typed[0]?.realPath).toBe(path.join(workspace.realRoot, 'a', '2.bin'))
    await expect(
      workspace.entries(['a/1.bin', 'a/gone.bin'], 'subject-path', describeAs),
    ).rejects.toThrow(`'${path.join(root, 'a', 'gone.bin')}'`)
  })
})
