// Issue 15: the packer lists a tree with readdir's types alone and takes each file's mode,
// size and identity from the fstat of the descriptor it packs from. These tests reach into
// the moments between listing, opening and reading through a pass-through mock of node:fs.
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { link, readFile, symlink } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { scanArchive } from '../../src/manifest/archive-scan.ts'
import { createReproducibleTarball } from '../../src/manifest/tarball.ts'
import { DEFAULT_ARCHIVE_LIMITS } from '../../src/manifest/types.ts'
import { InputError } from '../../src/util/errors.ts'
import { sha256, tempDir, workspaceWithOut, writeTree } from './helpers.ts'

const hooks = vi.hoisted(() => ({
  /** Paths lstatSync was called with. */
  lstatPaths: [] as string[],
  /** readdir's entries come back typed unknown (DT_UNKNOWN), as some file systems give them. */
  unknownTypes: false,
  /** Runs (once) before the packer opens this path. */
  beforeOpen: undefined as { path: string; run: () => void } | undefined,
  /** Runs (once) after the fstat of the descriptor opened for this path. */
  afterFstat: undefined as { path: string; run: () => void } | undefined,
  openedFor: new Map<number, string>(),
}))

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>()
  const lstatSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    hooks.lstatPaths.push(String(file))
    return (real.lstatSync as (...args: unknown[]) => unknown)(file, ...rest)
  }) as typeof real.lstatSync
  const readdirSync = ((dir: fs.PathLike, options?: unknown) => {
    const names = (real.readdirSync as (...args: unknown[]) => unknown[])(dir, options)
    if (!hooks.unknownTypes) return names
    // As Node's Dirent for UV_DIRENT_UNKNOWN: every type check false.
    return (names as fs.Dirent[]).map((dirent) => ({
      name: dirent.name,
      parentPath: dirent.parentPath,
      isFile: () => false,
      isDirectory: () => false,
      isSymbolicLink: () => false,
      isFIFO: () => false,
      isSocket: () => false,
      isBlockDevice: () => false,
      isCharacterDevice: () => false,
    }))
  }) as typeof real.readdirSync
  const openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    const before = hooks.beforeOpen
    if (before && String(file) === before.path) {
      hooks.beforeOpen = undefined
      before.run()
    }
    const fd = (real.openSync as (...args: unknown[]) => number)(file, ...rest)
    hooks.openedFor.set(fd, String(file))
    return fd
  }) as typeof real.openSync
  const fstatSync = ((fd: number, ...rest: unknown[]) => {
    const info = (real.fstatSync as (...args: unknown[]) => unknown)(fd, ...rest)
    const after = hooks.afterFstat
    if (after && hooks.openedFor.get(fd) === after.path) {
      hooks.afterFstat = undefined
      after.run()
    }
    return info
  }) as typeof real.fstatSync
  const mocked = { ...real, lstatSync, readdirSync, openSync, fstatSync }
  return { ...mocked, default: mocked }
})

afterEach(() => {
  hooks.lstatPaths = []
  hooks.unknownTypes = false
  hooks.beforeOpen = undefined
  hooks.afterFstat = undefined
  hooks.openedFor.clear()
})

/** A tree with files (one executable, one over 1 MiB), a nested folder and a link. */
async function sampleTree(): Promise<{ dir: string; tree: string }> {
  const dir = await tempDir()
  const tree = path.join(dir, 'tree')
  await writeTree(tree, {
    'a.txt': 'first',
    'b.txt': 'second',
    'bin/run.sh': '#!/bin/sh\n',
    'big.bin': Buffer.alloc(1536 * 1024, 7),
  })
  fs.chmodSync(path.join(tree, 'bin/run.sh'), 0o755)
  await symlink('a.txt', path.join(tree, 'link'))
  return { dir, tree }
}

function pack(tree: string, outFile: string, confinedTo?: string) {
  return createReproducibleTarball({
    directory: tree,
    outFile,
    sourceDateEpoch: 0,
    displayPath: 'tree',
    ...(confinedTo ? { confinedTo } : {}),
  })
}

const CHANGED = /b\.txt changed .*while its directory was being packed/

describe('listing a tree for the packer', () => {
  it('takes every type from readdir: no lstat of files, folders or links', async () => {
    const { dir, tree } = await sampleTree()
    const scan = await pack(tree, path.join(dir, 'out.tar.gz'))
    expect(hooks.lstatPaths.filter((file) => file.startsWith(tree))).toEqual([])
    expect(scan.listing.members.map((member) => member.path)).toEqual([
      'tree/',
      'tree/a.txt',
      'tree/b.txt',
      'tree/big.bin',
      'tree/bin/',
      'tree/bin/run.sh',
      'tree/link',
    ])
  })

  it('falls back to lstat where readdir leaves the type unknown, packing the same bytes', async () => {
    const { dir, tree } = await sampleTree()
    const typed = await pack(tree, path.join(dir, 'typed.tar.gz'))
    hooks.unknownTypes = true
    const untyped = await pack(tree, path.join(dir, 'untyped.tar.gz'))
    expect(hooks.lstatPaths.filter((file) => file.startsWith(tree)).sort()).toEqual(
      ['a.txt', 'b.txt', 'big.bin', 'bin', 'bin/run.sh', 'link'].map((name) =>
        path.join(tree, name),
      ),
    )
    expect(untyped).toEqual(typed)
  })

  it('still refuses an entry of another type when readdir leaves the type unknown', async () => {
    const { dir, tree } = await sampleTree()
    execFileSync('mkfifo', [path.join(tree, 'pipe')])
    hooks.unknownTypes = true
    await expect(pack(tree, path.join(dir, 'out.tar.gz'))).rejects.toThrow(
      /directory 'tree' contains pipe, which is neither a file, a directory nor a symbolic link/,
    )
  })
})

describe('a file is what its descriptor says when the packer opens it', () => {
  it('headers carry the mode and size of the file opened, and the scan agrees', async () => {
    const { dir, tree } = await sampleTree()
    // Grown and made executable after the listing, before it is opened.
    hooks.beforeOpen = {
      path: path.join(tree, 'b.txt'),
      run: () => {
        fs.appendFileSync(path.join(tree, 'b.txt'), ' and more')
        fs.chmodSync(path.join(tree, 'b.txt'), 0o755)
      },
    }
    const outFile = path.join(dir, 'out.tar.gz')
    const scan = await pack(tree, outFile)
    const member = scan.listing.members.find((m) => m.path === 'tree/b.txt')
    expect(member).toEqual({
      path: 'tree/b.txt',
      type: 'file',
      size: 'second and more'.length,
      sha256: sha256('second and more'),
    })
    expect(await scanArchive(outFile, 'tar.gz', ['sha256'], DEFAULT_ARCHIVE_LIMITS)).toStrictEqual(
      scan,
    )
    const verbose = execFileSync('tar', ['-tvzf', outFile], { encoding: 'utf8' })
    expect(verbose).toMatch(/^-rwxr-xr-x .* tree\/b\.txt$/m)
  })

  it.each([
    ['a symbolic link', (file: string, secret: string) => fs.symlinkSync(secret, file)],
    ['a folder', (file: string) => fs.mkdirSync(file)],
    ['a named pipe', (file: string) => execFileSync('mkfifo', [file])],
  ])('refuses a file replaced by %s after the listing', async (_kind, replace) => {
    const { dir, tree } = await sampleTree()
    const secret = path.join(dir, 'secret')
    fs.writeFileSync(secret, 'secret')
    const file = path.join(tree, 'b.txt')
    // While the file before it is being packed.
    hooks.beforeOpen = {
      path: path.join(tree, 'a.txt'),
      run: () => {
        fs.rmSync(file)
        replace(file, secret)
      },
    }
    const refused = pack(tree, path.join(dir, 'out.tar.gz'))
    await expect(refused).rejects.toBeInstanceOf(InputError)
    await expect(refused).rejects.toThrow(CHANGED)
  })

  it.each([
    ['grows', (file: string) => fs.appendFileSync(file, 'x')],
    ['shrinks', (file: string) => fs.truncateSync(file, 1024 * 1024 + 1)],
  ])('refuses a file over 1 MiB that %s while it is read', async (_how, change) => {
    const { dir, tree } = await sampleTree()
    const big = path.join(tree, 'big.bin')
    // After the fstat its header's size comes from, before its contents are read.
    hooks.afterFstat = { path: big, run: () => change(big) }
    const refused = pack(tree, path.join(dir, 'out.tar.gz'))
    await expect(refused).rejects.toThrow(/big\.bin changed .*while its directory was being packed/)
  })

  it('refuses a small file that shrinks between its fstat and its read', async () => {
    const { dir, tree } = await sampleTree()
    const file = path.join(tree, 'b.txt')
    hooks.afterFstat = { path: file, run: () => fs.truncateSync(file, 2) }
    await expect(pack(tree, path.join(dir, 'out.tar.gz'))).rejects.toThrow(CHANGED)
  })
})

describe('hard links seen when the files are opened', () => {
  it('refuses a hard link with a name outside the workspace, without going through build', async () => {
    const { workspace } = await workspaceWithOut()
    const outside = path.join(path.dirname(workspace), 'passwd')
    await writeTree(workspace, { 'site/a.txt': 'a', 'site/z.txt': 'z' })
    fs.writeFileSync(outside, 'root:x:0:0')
    await link(outside, path.join(workspace, 'site/hard'))
    const refused = pack(path.join(workspace, 'site'), path.join(workspace, 'out'), workspace)
    await expect(refused).rejects.toBeInstanceOf(InputError)
    await expect(refused).rejects.toThrow(
      /directory 'tree' contains hard, a hard link with 2 names, some outside the workspace/,
    )
  })

  it('refuses a hard link renamed over a listed file after the listing', async () => {
    const { workspace } = await workspaceWithOut()
    const outside = path.join(path.dirname(workspace), 'passwd')
    const site = path.join(workspace, 'site')
    await writeTree(workspace, { 'site/a.txt': 'a', 'site/b.txt': 'b' })
    fs.writeFileSync(outside, 'root:x:0:0')
    await link(outside, path.join(workspace, 'linked'))
    hooks.beforeOpen = {
      path: path.join(site, 'a.txt'),
      run: () => fs.renameSync(path.join(workspace, 'linked'), path.join(site, 'b.txt')),
    }
    await expect(pack(site, path.join(workspace, 'out'), workspace)).rejects.toThrow(
      /directory 'tree' contains b\.txt, a hard link with 2 names, some outside the workspace/,
    )
  })

  it('packs hard links whose names are all inside the directory', async () => {
    const { dir, tree } = await sampleTree()
    await link(path.join(tree, 'a.txt'), path.join(tree, 'a-again.txt'))
    const outFile = path.join(dir, 'out.tar.gz')
    const scan = await pack(tree, outFile)
    expect(scan.listing.members.find((m) => m.path === 'tree/a-again.txt')?.sha256).toBe(
      sha256('first'),
    )
    expect((await readFile(outFile)).length).toBe(scan.size)
  })
})
