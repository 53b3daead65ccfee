import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, expect, it } from 'vitest'
import { createFakeClient, startGitHubFake, type GitHubFake } from './index.ts'

// The fake receives uploads in the bench's own process: when it read the body faster than its
// file took it, the queued chunks grew that process by GBs per upload, and every action the
// bench spawned afterwards reported that size (issue 17's 4 GiB figure). Here the stored file
// is a FIFO nobody reads yet, so the fake's file cannot take a byte until the test says so.

const execFileAsync = promisify(execFile)
const MiB = 1024 * 1024
const BODY_BYTES = 64 * MiB

let fake: GitHubFake | undefined
let root: string | undefined

afterEach(async () => {
  await fake?.close()
  if (root) await rm(root, { recursive: true, force: true })
})

/** Starts the fake with its storage folder under a private TMPDIR, so the test can find it. */
async function fakeWithKnownStorage(): Promise<{ fake: GitHubFake; storage: string }> {
  root = await mkdtemp(path.join(tmpdir(), 'fake-backpressure-'))
  const saved = process.env['TMPDIR']
  process.env['TMPDIR'] = root
  try {
    fake = await startGitHubFake({ validateResponses: true })
  } finally {
    if (saved === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = saved
  }
  const [folder] = await readdir(root)
  if (!folder) throw new Error('the fake made no storage folder')
  return { fake, storage: path.join(root, folder) }
}

interface Upload {
  /** Bytes the socket has accepted so far. */
  sent(): number
  done: Promise<{ status: number; body: string }>
}

/** POSTs `body` in 1 MiB writes, each after the socket took the last (as fetch does). */
function upload(url: string, token: string, body: Buffer): Upload {
  let sent = 0
  const req = request(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
    },
  })
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('error', reject)
    req.on('response', (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
  })
  const writeNext = (): void => {
    while (sent < body.length) {
      const chunk = body.subarray(sent, sent + MiB)
      sent += chunk.length
      if (!req.write(chunk)) return void req.once('drain', writeNext)
    }
    req.end()
  }
  writeNext()
  return { sent: () => sent, done }
}

/** Resolves once `count()` has not changed for `quietMs`, or has reached `total`. */
async function settled(count: () => number, total: number, quietMs: number): Promise<number> {
  let last = -1
  while (count() !== last && count() < total) {
    last = count()
    await new Promise((resolve) => setTimeout(resolve, quietMs))
  }
  return count()
}

it('stops reading an upload while its stored file takes no bytes, and stores it whole after', async () => {
  const { fake, storage } = await fakeWithKnownStorage()
  const sha = fake.addCommit({
    message: 'one',
    author: { name: 'Ada', email: 'ada@example.com', date: '2025-01-01T00:00:00Z' },
    parents: [],
  })
  const client = createFakeClient(fake, { retries: 0 })
  const { data: draft } = await client.rest.repos.createRelease({
    owner: fake.owner,
    repo: fake.repo,
    tag_name: 'v1',
    target_commitish: sha,
    draft: true,
  })
  // The fake numbers everything from one counter: the asset is the next id after the release.
  const fifo = path.join(storage, `asset-${draft.id + 1}`)
  await execFileAsync('mkfifo', [fifo])
  const body = randomBytes(BODY_BYTES)
  const uploadUrl = draft.upload_url.replace(/\{.*\}$/, '?name=big.bin')
  const sending = upload(uploadUrl, fake.token, body)

  const sentWhileBlocked = await settled(sending.sent, BODY_BYTES, 1000)

  // Reading the FIFO lets the upload finish (asserting first could leave the fake stuck).
  const stored = createHash('sha256')
  const drained = new Promise<void>((resolve, reject) => {
    createReadStream(fifo)
      .on('data', (chunk) => stored.update(chunk))
      .on('end', resolve)
      .on('error', reject)
  })
  const { status, body: answer } = await sending.done
  await drained
  const expected = createHash('sha256').update(body).digest('hex')
  // Socket buffers on both sides hold a few MiB; the rest must wait in the client's memory.
  expect(sentWhileBlocked / MiB).toBeLessThan(BODY_BYTES / MiB / 2)
  expect(status).toBe(201)
  expect(JSON.parse(answer)).toMatchObject({ size: BODY_BYTES, digest: `sha256:${expected}` })
  expect(stored.digest('hex')).toBe(expected)
  expect(fake.violations).toEqual([])
}, 60_000)
