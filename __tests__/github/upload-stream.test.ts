// Issue 17: an upload streams its file. A 1 GiB upload in a child process must cost what a
// small one does, and a retried upload must send the whole file again.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitHubClient, createReleaseStore } from '../../src/github/index.ts'
import { uploadAssets } from '../../src/release/upload.ts'
import type { ReleaseRequest } from '../../src/release/request.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'

const MiB = 1024 * 1024
const OWNER = 'octo-org'
const REPO = 'octo-repo'
const RELEASE_ID = 1

/** What the server saw of one upload. */
interface ReceivedUpload {
  name: string
  bytes: number
  sha256: string
  contentLength: string | undefined
  transferEncoding: string | undefined
  /** Whether the server cut this upload off with a 502 before its end. */
  cut: boolean
}

interface UploadServer {
  url: string
  uploads: ReceivedUpload[]
  /** Cut the next upload off with a 502 once this many bytes arrived. */
  cutNextAfter: number | undefined
  close(): Promise<void>
}

/** Answers an upload after hashing its body, or with a 502 partway when asked to. */
function receiveUpload(server: UploadServer, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', server.url)
  const upload: ReceivedUpload = {
    name: url.searchParams.get('name') ?? '',
    bytes: 0,
    sha256: '',
    contentLength: req.headers['content-length'],
    transferEncoding: req.headers['transfer-encoding'],
    cut: false,
  }
  server.uploads.push(upload)
  const cutAfter = server.cutNextAfter
  server.cutNextAfter = undefined
  const hash = createHash('sha256')
  req.on('data', (chunk: Buffer) => {
    upload.bytes += chunk.length
    hash.update(chunk)
    if (cutAfter !== undefined && upload.bytes >= cutAfter && !upload.cut) {
      upload.cut = true
      res.writeHead(502, { 'content-type': 'application/json', connection: 'close' })
      res.end(JSON.stringify({ message: 'Bad Gateway' }), () => req.socket.destroy())
    }
  })
  req.on('end', () => {
    if (upload.cut) return
    upload.sha256 = hash.digest('hex')
    const asset = {
      id: server.uploads.length,
      name: upload.name,
      size: upload.bytes,
      state: 'uploaded',
      digest: `sha256:${upload.sha256}`,
    }
    res.writeHead(201, { 'content-type': 'application/json' })
    res.end(JSON.stringify(asset))
  })
}

/** A loopback upload host: uploads, an empty asset list, deletions. */
async function startUploadServer(): Promise<UploadServer> {
  const server: UploadServer = {
    url: '',
    uploads: [],
    cutNextAfter: undefined,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  }
  const http = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/uploads/'))
      return receiveUpload(server, req, res)
    req.resume()
    const status = req.method === 'DELETE' ? 204 : 200
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(status === 204 ? undefined : '[]')
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  return server
}

/** A sparse file of `size` bytes with random megabytes at its start, middle and end. */
async function sparseFile(file: string, size: number): Promise<string> {
  const handle = await open(file, 'w')
  try {
    await handle.truncate(size)
    for (const at of [0, Math.floor(size / 2), size - MiB])
      await handle.write(randomBytes(MiB), 0, MiB, at)
  } finally {
    await handle.close()
  }
  return file
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB }))
    hash.update(chunk as Buffer)
  return hash.digest('hex')
}

const moduleUrl = (file: string): string =>
  JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, '../..', file)).href)

const draftFor = (server: UploadServer) => ({
  id: RELEASE_ID,
  htmlUrl: `${server.url}/release`,
  uploadUrl: `${server.url}/uploads/repos/${OWNER}/${REPO}/releases/${RELEASE_ID}/assets{?name,label}`,
  assets: [],
})

/**
 * Uploads `file` through the GitHub layer in a child Node process with a 64 MiB heap, and
 * reports the outcome with the process's peak RSS (VmHWM) and its RSS before the upload.
 */
async function uploadInChild(server: UploadServer, file: string, size: number) {
  const script = `
    const { createGitHubClient, createReleaseStore } = await import(${moduleUrl('src/github/index.ts')})
    const { RecordingReporter } = await import(${moduleUrl('__tests__/support/recording-reporter.ts')})
    const { readFileSync } = await import('node:fs')
    const kib = (field) => Number(new RegExp(field + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1])
    const client = createGitHubClient({ token: 't', apiUrl: ${JSON.stringify(server.url)}, reporter: new RecordingReporter(), retries: 0 })
    const store = createReleaseStore(client, ${JSON.stringify(OWNER)}, ${JSON.stringify(REPO)})
    const rssBeforeKiB = kib('VmRSS')
    const outcome = await store.upload(${JSON.stringify(draftFor(server))}, {
      name: 'big.bin', path: ${JSON.stringify(file)}, size: ${size}, contentType: 'application/octet-stream',
    })
    console.log(JSON.stringify({ outcome: outcome.outcome, asset: outcome.asset, error: String(outcome.error ?? ''), rssBeforeKiB, peakKiB: kib('VmHWM') }))`
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--max-old-space-size=64', '--input-type=module', '-e', script],
    { maxBuffer: MiB },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
    outcome: string
    asset?: { size: number; digest: string }
    error: string
    rssBeforeKiB: number
    peakKiB: number
  }
}

let dir: string
let server: UploadServer
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'upload-stream-'))
  server = await startUploadServer()
})
afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('uploads stream their file', () => {
  it('uploads 1 GiB with the right digest while the process grows by a few MiB', async () => {
    const size = 1024 * MiB
    const file = await sparseFile(path.join(dir, 'big.bin'), size)
    const want = await sha256Of(file)
    const child = await uploadInChild(server, file, size)
    expect(child.outcome, child.error).toBe('uploaded')
    expect(child.asset).toMatchObject({ size, digest: `sha256:${want}` })
    const received = server.uploads.at(-1) as ReceivedUpload
    expect(received).toMatchObject({ bytes: size, sha256: want, contentLength: String(size) })
    expect(received.transferEncoding).toBeUndefined()
    // Buffered, the peak was about the file's size above the start (1.2 GB for 1 GiB).
    const growthMiB = (child.peakKiB - child.rssBeforeKiB) / 1024
    expect(growthMiB, `peak ${child.peakKiB} KiB, before ${child.rssBeforeKiB} KiB`).toBeLessThan(
      64,
    )
  })

  it('sends the whole file again after a 502 halfway through the body', async () => {
    const size = 96 * MiB
    const file = await sparseFile(path.join(dir, 'retried.bin'), size)
    const want = await sha256Of(file)
    const client = createGitHubClient({
      token: 't',
      apiUrl: server.url,
      reporter: new RecordingReporter(),
      retries: 0,
    })
    const store = createReleaseStore(client, OWNER, REPO)
    const asset = {
      name: 'retried.bin',
      path: file,
      size,
      sha256: want,
      contentType: 'application/octet-stream',
    }
    const request = {
      assets: [asset],
      uploadRetry: { attempts: 2, delayMs: 0 },
    } as unknown as ReleaseRequest
    const before = server.uploads.length
    server.cutNextAfter = 32 * MiB
    await uploadAssets(store, draftFor(server), request, new RecordingReporter())
    const attempts = server.uploads.slice(before)
    expect(attempts).toHaveLength(2)
    expect(attempts[0]).toMatchObject({ name: 'retried.bin', cut: true })
    expect(attempts[0]?.bytes).toBeLessThan(size)
    expect(attempts[1]).toMatchObject({
      name: 'retried.bin',
      cut: false,
      bytes: size,
      sha256: want,
    })
  })
})
