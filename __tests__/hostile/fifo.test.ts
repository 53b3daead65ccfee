// Issue 18, finding 7: a FIFO named as the `change-record` input, as `body-path`, or lying as
// release-manifest.json in a folder given to `verify` blocked the process forever (an open()
// of a FIFO waits for a writer). Each must be refused at once, naming the input, and verify must
// still print its report. A read that has not settled after a few seconds fails the test, and
// the FIFO is then opened for writing once so the stuck reader gets end-of-file and the worker
// can exit.
import { execFileSync } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { releaseNotes } from '../../src/action/steps/prepare.ts'
import type { ActionInputs } from '../../src/action/inputs.ts'
import { loadChangeRecordInput } from '../../src/change-record/index.ts'
import { loadTrustedRoot } from '../../src/cli/verify-command.ts'
import { readRegularFile } from '../../src/util/read-user-file.ts'
import {
  copyRelease,
  detailsOf,
  failingChecks,
  temporaryFolder,
  useWorldWithRelease,
  verifyJson,
} from '../verify/support.ts'

const HANG_MS = 3_000
const REPO = 'octo-org/octo-repo'

const shared = useWorldWithRelease()
let workspace: string

// Removed with the world's other temporary folders after the tests.
beforeAll(async () => {
  workspace = await temporaryFolder('fifo-test-')
})

function mkfifo(path: string): string {
  execFileSync('mkfifo', [path])
  return path
}

/** Gives a reader blocked on `fifo` end-of-file: a writer opens and closes it at once. */
function unblock(fifo: string): void {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK))
  } catch {
    // ENXIO: nobody is reading, so nothing is stuck.
  }
}

/** `promise`'s outcome, or a failure when it has not settled within HANG_MS. */
async function settles<T>(promise: Promise<T>, fifo: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      unblock(fifo)
      reject(new Error(`still blocked on the FIFO ${fifo} after ${HANG_MS} ms`))
    }, HANG_MS)
  })
  try {
    return await Promise.race([promise, hung])
  } finally {
    clearTimeout(timer)
  }
}

async function failure(promise: Promise<unknown>, fifo: string): Promise<Error> {
  try {
    await settles(promise, fifo)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a refusal')
}

describe('a FIFO where a file is expected is refused at once, never opened for reading', () => {
  test('as the change-record input', async () => {
    const fifo = mkfifo(join(workspace, 'record.yaml'))
    const error = await failure(loadChangeRecordInput('record.yaml', workspace), fifo)
    expect(error.message).toMatch(/^Input 'change-record': .*record\.yaml.* is a FIFO/)
    expect(error.message).toMatch(/give a regular file/)
  })

  test('as body-path, relative to the workspace or absolute', async () => {
    const fifo = mkfifo(join(workspace, 'notes.md'))
    const inputs = { body: '', bodyPath: 'notes.md' } as ActionInputs
    for (const bodyPath of ['notes.md', fifo]) {
      const error = await failure(releaseNotes({ ...inputs, bodyPath }, workspace), fifo)
      expect(error.message).toMatch(/^Input 'body-path': .*notes\.md.* is a FIFO/)
    }
  })

  test('body-path still reads a regular file, and through a link to one', async () => {
    await writeFile(join(workspace, 'real-notes.md'), 'Widget 1.0\n')
    await symlink(join(workspace, 'real-notes.md'), join(workspace, 'linked-notes.md'))
    const inputs = { body: '', bodyPath: 'real-notes.md' } as ActionInputs
    await expect(releaseNotes(inputs, workspace)).resolves.toBe('Widget 1.0\n')
    await expect(releaseNotes({ ...inputs, bodyPath: 'linked-notes.md' }, workspace)).resolves.toBe(
      'Widget 1.0\n',
    )
  })

  test('as release-manifest.json in a folder given to verify: a report, exit 1', async () => {
    const dir = await copyRelease(shared.release())
    const manifest = join(dir, 'release-manifest.json')
    await rm(manifest)
    mkfifo(manifest)
    const { code, report } = await settles(
      verifyJson(dir, ['--repo', REPO, '--trusted-root', shared.world().trustedRootPath]),
      manifest,
    )
    expect(code).toBe(1)
    expect(report.verified).toBe(false)
    expect(failingChecks(report)).toContain('assets')
    expect(detailsOf(report, 'assets')).toMatch(/release-manifest\.json.* is a FIFO/)
  })

  test('as the --trusted-root of verify: a usage error, and a link to a real root still reads', async () => {
    const fifo = mkfifo(join(workspace, 'trusted_root.json'))
    const error = await failure(loadTrustedRoot(fifo), fifo)
    expect(error.message).toMatch(/^Input '--trusted-root': .*trusted_root\.json.* is a FIFO/)
    await symlink(shared.world().trustedRootPath, join(workspace, 'linked-root.json'))
    await expect(loadTrustedRoot(join(workspace, 'linked-root.json'))).resolves.toMatchObject({
      mediaType: expect.stringMatching(/trustedroot/),
    })
  })

  test('the helper names the input for every kind of non-regular file', async () => {
    const options = { input: 'some-input', maxBytes: 1024 }
    await expect(readRegularFile(workspace, options)).rejects.toThrow(
      /^Input 'some-input': .* is a folder, not a regular file/,
    )
    await expect(readRegularFile('/dev/zero', options)).rejects.toThrow(/is a character device/)
    await symlink('/etc/hostname', join(workspace, 'link'))
    await expect(readRegularFile(join(workspace, 'link'), options)).rejects.toThrow(
      /is a symbolic link; name the file itself/,
    )
    await writeFile(join(workspace, 'big'), Buffer.alloc(1025))
    await expect(readRegularFile(join(workspace, 'big'), options)).rejects.toThrow(
      /is 1025 bytes; at most 1024 bytes are allowed/,
    )
  })
})
