// Without --trusted-root, verify fetches the public-good root through TUF. When that fails
// (offline), the error says what was being fetched and how to verify without it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTrustedRoot } from '../../src/verify/trusted-root.ts'

describe('loadTrustedRoot without a file', () => {
  let server: Server
  let mirrorURL: string
  let cachePath: string

  beforeAll(async () => {
    // A TUF mirror on loopback that has nothing: no request leaves the machine.
    server = createServer((_request, response) => response.writeHead(404).end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    mirrorURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    cachePath = await mkdtemp(path.join(tmpdir(), 'tuf-cache-'))
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    await rm(cachePath, { recursive: true, force: true })
  })

  it.each(['--trusted-root', 'trusted-root'])(
    'says what it could not fetch and names %s as the way round it',
    async (input) => {
      const error = await loadTrustedRoot(undefined, input, { mirrorURL, cachePath }).catch(
        (caught: unknown) => caught,
      )
      expect(error).toBeInstanceOf(Error)
      const message = (error as Error).message
      expect(message).toContain('cannot fetch the Sigstore public-good trusted root through TUF')
      expect(message).toContain(mirrorURL)
      expect(message).toContain(`give its trusted_root.json with ${input}`)
    },
  )
})
