// Issue 18, finding 6, for archive subjects: the archive scan opens the file the listing saw,
// as the hash workers do, not whatever the path names by the time it reads.
import { execFileSync } from 'node:child_process'
import { mkdtemp, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ArchiveScanError, scanArchive } from '../../src/manifest/archive-scan.ts'
import { DEFAULT_ARCHIVE_LIMITS } from '../../src/manifest/types.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'archive-swap-'))
  await writeFile(path.join(dir, 'member.txt'), 'inside the archive\n')
  execFileSync('tar', ['-cf', 'app.tar', 'member.txt'], { cwd: dir })
  execFileSync('tar', ['-cf', 'other.tar', 'member.txt'], { cwd: dir })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function identityOf(file: string): Promise<{ dev: number; ino: number }> {
  const info = await stat(file)
  return { dev: info.dev, ino: info.ino }
}

const scan = (file: string, identity?: { dev: number; ino: number }) =>
  scanArchive(file, 'tar', ['sha256'], DEFAULT_ARCHIVE_LIMITS, identity)

describe('scanArchive and the file the listing saw', () => {
  it('scans the listed archive', async () => {
    const file = path.join(dir, 'app.tar')
    const result = await scan(file, await identityOf(file))
    expect(result.listing.members.map((m) => m.path)).toEqual(['member.txt'])
  })

  it('refuses another archive renamed over the listed one', async () => {
    const file = path.join(dir, 'app.tar')
    const listed = await identityOf(file)
    await rename(path.join(dir, 'other.tar'), file)
    await expect(scan(file, listed)).rejects.toThrow(
      new ArchiveScanError('app.tar was replaced by another file after it was listed'),
    )
  })

  it('does not follow a symbolic link swapped in for the listed archive', async () => {
    const file = path.join(dir, 'app.tar')
    const listed = await identityOf(file)
    await rm(file)
    await symlink(path.join(dir, 'other.tar'), file)
    await expect(scan(file, listed)).rejects.toThrow(
      new ArchiveScanError('app.tar was replaced by a symbolic link after it was listed'),
    )
  })
})
