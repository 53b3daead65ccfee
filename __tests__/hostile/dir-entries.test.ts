// Issue 18, finding 1: `verify` hashed only the regular files of a folder, so a symbolic link, a
// sub-folder or a FIFO beside the assets left the verdict at VERIFIED although nothing checked
// what they hold. Every entry that is not a regular file must fail the assets check by name,
// without being followed or opened, through the CLI on a real downloaded release.
import { execFileSync } from 'node:child_process'
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  copyRelease,
  detailsOf,
  failingChecks,
  useWorldWithRelease,
  verifyJson,
  verifyText,
} from '../verify/support.ts'

const REPO = 'octo-org/octo-repo'
const { world, release } = useWorldWithRelease()

function verify(dir: string) {
  return verifyJson(dir, ['--repo', REPO, '--trusted-root', world().trustedRootPath])
}

/** Only the assets check fails, with exactly `details`, and the exit code says so. */
async function expectOnlyAssetsFail(dir: string, details: string[]): Promise<void> {
  const result = await verify(dir)
  expect(failingChecks(result.report)).toEqual(['assets'])
  expect(result.report.verified).toBe(false)
  expect(result.code).toBe(1)
  expect(detailsOf(result.report, 'assets').split('\n')).toEqual(details)
}

describe('entries that are not regular files fail the assets check', () => {
  test('the untouched copy verifies (the baseline the other tests alter)', async () => {
    const result = await verify(await copyRelease(release()))
    expect(result.report.verified).toBe(true)
    expect(result.code).toBe(0)
  })

  test('a symbolic link to a file outside the folder', async () => {
    const dir = await copyRelease(release())
    const outside = join(dirname(dir), `evil-${Date.now()}.sh`)
    await writeFile(outside, '#!/bin/sh\necho pwned\n')
    try {
      await symlink(outside, join(dir, 'install.sh'))
      await expectOnlyAssetsFail(dir, [
        'install.sh is a symbolic link, not a regular file: verify does not follow links, so what it points to was not checked',
      ])
    } finally {
      await rm(outside, { force: true })
    }
  })

  test('a listed asset replaced by a link to the same bytes: the link is not followed', async () => {
    const dir = await copyRelease(release())
    // The bytes are genuine, so a verifier that follows the link would hash them and pass.
    await copyFile(join(dir, 'app-linux-amd64'), join(dir, '.app-linux-amd64.real'))
    await rm(join(dir, 'app-linux-amd64'))
    await symlink('.app-linux-amd64.real', join(dir, 'app-linux-amd64'))
    await expectOnlyAssetsFail(dir, [
      'extra file not in the manifest: .app-linux-amd64.real',
      'app-linux-amd64 is a symbolic link, not a regular file: verify does not follow links, so what it points to was not checked',
    ])
  })

  test('a sub-folder holding a file', async () => {
    const dir = await copyRelease(release())
    await mkdir(join(dir, 'extras'))
    await writeFile(join(dir, 'extras', 'backdoor.bin'), 'not from the workflow')
    await expectOnlyAssetsFail(dir, [
      'extras is a folder, not a regular file: release assets are flat, so what it holds was not checked',
    ])
  })

  test('a FIFO is reported without being opened (opening one would block)', async () => {
    const dir = await copyRelease(release())
    execFileSync('mkfifo', [join(dir, 'pipe')])
    await expectOnlyAssetsFail(dir, [
      'pipe is a FIFO, not a regular file: verify does not open it, so what it holds was not checked',
    ])
  })

  test('the human report says NOT VERIFIED and names the link', async () => {
    const dir = await copyRelease(release())
    await symlink('/etc/hostname', join(dir, 'install.sh'))
    const result = await verifyText(dir, world().trustedRootPath)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('✗ Assets match the manifest')
    expect(result.stdout).toContain('- install.sh is a symbolic link, not a regular file')
    expect(result.stdout).toMatch(/NOT VERIFIED: 1 check\(s\) failed\.\n$/)
  })
})
