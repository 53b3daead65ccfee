import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubClient } from '../../src/github/index.ts'
import type { GitHubClient } from '../../src/github/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'

/** What the loopback server answers: a status and a body sent exactly as given. */
export interface Answer {
  status: number
  body: string
}

export interface Loopback {
  url: string
  /** `METHOD /path?query` of every request, in arrival order. */
  requests: string[]
  /** A client for this server that does not retry, so each call is one request. */
  client(): GitHubClient
  close(): Promise<void>
}

/** A JSON answer. */
export const json = (value: unknown, status = 200): Answer => ({
  status,
  body: JSON.stringify(value),
})

/**
 * An HTTP server on 127.0.0.1 that answers every request with `answer(request)`, declared as
 * JSON; no request of these tests leaves the machine.
 */
export async function startLoopback(
  answer: (request: IncomingMessage, url: URL) => Answer,
): Promise<Loopback> {
  const requests: string[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    requests.push(`${request.method} ${url.pathname}${url.search}`)
    const { status, body } = answer(request, url)
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    client: () =>
      createGitHubClient({
        token: 'test-token',
        apiUrl: url,
        reporter: new RecordingReporter(),
        retries: 0,
      }),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  }
}
