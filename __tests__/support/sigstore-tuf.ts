/**
 * Serves a TUF repository whose only target is `trusted_root.json`, over loopback, so that
 * verifiers that insist on TUF (the `sigstore` package, `@sigstore/cli`) can load a test
 * stack's trust material. Built from @tufjs/repo-mock's dist files: its index loads nock 14,
 * which breaks the fetch stack sigstore-js uses.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { tufHandlers } from '@tufjs/repo-mock/dist/handler.js'
import { initializeTUFRepo } from '@tufjs/repo-mock/dist/repo.js'

export interface TufRepositoryServer {
  /** The mirror URL (`tufMirrorURL`). */
  readonly url: string
  /** The repository's initial `root.json` (`tufRootPath`). */
  readonly rootPath: string
  /** An empty cache folder for the client (`tufCachePath`). */
  readonly cachePath: string
  /** Requests served so far. */
  readonly requests: string[]
  close(): Promise<void>
}

export async function serveTufRepository(trustedRoot: unknown): Promise<TufRepositoryServer> {
  const repo = initializeTUFRepo([
    { name: 'trusted_root.json', content: JSON.stringify(trustedRoot) },
  ])
  // tuf-js reads metadata at the mirror root and targets below /targets.
  const handlers = new Map(
    tufHandlers(repo, { metadataPathPrefix: '', targetPathPrefix: '/targets' }).map((h) => [
      h.path,
      h.fn,
    ]),
  )
  const requests: string[] = []
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    requests.push(pathname)
    const handler = request.method === 'GET' ? handlers.get(pathname) : undefined
    if (!handler) {
      response.writeHead(404).end()
      return
    }
    const result = handler()
    const body = Buffer.from(result.response)
    response.writeHead(result.statusCode, {
      'content-length': String(body.length),
      ...(result.contentType ? { 'content-type': result.contentType } : {}),
    })
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const dir = await mkdtemp(path.join(tmpdir(), 'tuf-repo-'))
  const rootPath = path.join(dir, 'root.json')
  await writeFile(rootPath, JSON.stringify(repo.rootMeta.toJSON()))
  const cachePath = path.join(dir, 'cache')
  return {
    url: `http://127.0.0.1:${port}`,
    rootPath,
    cachePath,
    requests,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await rm(dir, { recursive: true, force: true })
    },
  }
}
