import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubClient } from '../../src/github/index.ts'
import type { GitHubClient } from '../../src/github/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'

/** How the storage serves one asset. */
export interface StoredAsset {
  bytes: Buffer
  /** `content-length` sent: the true length unless given; `null` sends the body chunked. */
  contentLength?: number | null
  /** Close the connection after this many bytes, whatever was declared. */
  cutAfter?: number
  /** Pause between writes; default 1 ms. */
  chunkDelayMs?: number
}

export interface AssetServers {
  /** The storage's request headers, one entry per download it served. */
  storageHeaders: IncomingHttpHeaders[]
  /** A client for the API server that does not retry, so each call is one download. */
  client(options?: { requestTimeoutMs?: number }): GitHubClient
  close(): Promise<void>
}

/** Bytes per write, with a timer turn between writes: a body that takes a while to arrive. */
const CHUNK_BYTES = 64 * 1024

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const closing = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.closeAllConnections()
    server.close((e) => (e ? reject(e) : resolve()))
  })

/**
 * Two loopback servers shaped like GitHub's: the API answers an asset download with a 302 to
 * a storage server on another origin, which serves `serve(assetId)` slowly.
 */
export async function startAssetServers(
  serve: (assetId: number) => StoredAsset,
): Promise<AssetServers> {
  const storageHeaders: IncomingHttpHeaders[] = []
  const storage = createServer((request, response) => {
    storageHeaders.push(request.headers)
    const {
      bytes,
      contentLength = bytes.length,
      cutAfter,
      chunkDelayMs = 1,
    } = serve(Number(/^\/storage\/(\d+)\?/.exec(request.url ?? '')?.[1]))
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(contentLength === null ? {} : { 'content-length': contentLength }),
    })
    const end = Math.min(bytes.length, cutAfter ?? bytes.length)
    const write = (offset: number): void => {
      if (offset >= end) {
        if (cutAfter === undefined) response.end()
        else response.socket?.destroy()
        return
      }
      response.write(bytes.subarray(offset, Math.min(end, offset + CHUNK_BYTES)))
      setTimeout(() => write(offset + CHUNK_BYTES), chunkDelayMs)
    }
    write(0)
  })
  const storageUrl = await listen(storage)
  const api = createServer((request, response) => {
    const id = /^\/repos\/o\/r\/releases\/assets\/(\d+)$/.exec(request.url ?? '')?.[1]
    if (id === undefined || request.headers.accept !== 'application/octet-stream') {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ message: 'Not Found' }))
      return
    }
    response.writeHead(302, { location: `${storageUrl}/storage/${id}?sig=signed` })
    response.end()
  })
  const apiUrl = await listen(api)
  return {
    storageHeaders,
    client: (options = {}) =>
      createGitHubClient({
        token: 'test-token',
        apiUrl,
        reporter: new RecordingReporter(),
        retries: 0,
        ...options,
      }),
    close: async () => {
      await closing(api)
      await closing(storage)
    },
  }
}
