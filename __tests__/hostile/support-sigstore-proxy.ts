// A loopback proxy in front of the Sigstore stack that fails chosen requests. The stack's own
// `failNext` counts per service without ordinals and has no truncated bodies or delays; the
// fault matrix needs "the n-th request to service S" and every kind of fault, so the proxy
// numbers the requests itself and injects the faults on the way back.
import { request as httpRequest, createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { SigstoreService, SigstoreStack } from '../support/sigstore-stack.ts'

export type ProxyFault =
  /** Answer with this status; `afterEffect`: the service acted first (a lost answer). */
  | { status: number; afterEffect?: boolean; headers?: Record<string, string> }
  /** Destroy the connection; `afterEffect`: after the service acted. */
  | { reset: true; afterEffect?: boolean }
  /** The service acts; its answer is cut off halfway. */
  | { truncate: true }
  /** Hold the request this long, then pass it on (whether or not the client still waits). */
  | { delayMs: number }

export interface ProxiedRequest {
  service: SigstoreService
  method: string
  path: string
  /** 1 = the first request to this service since the last `reset()`. */
  ordinal: number
  faulted: boolean
}

export interface SigstoreFaultProxy {
  readonly url: string
  readonly fulcioURL: string
  readonly rekorURL: string
  readonly tsaURL: string
  readonly oidcRequestURL: string
  readonly requests: ProxiedRequest[]
  /** Fails the `ordinal`-th request to `service` (counted from the last `reset()`). */
  inject(service: SigstoreService, ordinal: number, fault: ProxyFault): void
  /** Forgets faults and request numbers. */
  reset(): void
  close(): Promise<void>
}

const PREFIXES: [string, SigstoreService][] = [
  ['/fulcio', 'fulcio'],
  ['/rekor', 'rekor'],
  ['/tsa', 'tsa'],
  ['/oidc', 'oidc'],
]

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

interface Upstream {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

function forward(
  target: URL,
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      target,
      { method, headers: { ...headers, host: target.host, 'content-length': body.length } },
      (response: IncomingMessage) => {
        readAll(response).then(
          (bytes) =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: bytes }),
          reject,
        )
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

function replyWith(res: ServerResponse, upstream: Upstream): void {
  const headers = { ...upstream.headers }
  delete headers['transfer-encoding']
  delete headers['connection']
  res.writeHead(upstream.status, { ...headers, 'content-length': String(upstream.body.length) })
  res.end(upstream.body)
}

export async function startSigstoreFaultProxy(stack: SigstoreStack): Promise<SigstoreFaultProxy> {
  const faults = new Map<string, ProxyFault>()
  const counts = new Map<SigstoreService, number>()
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid')
    const service = PREFIXES.find(
      ([prefix]) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`),
    )?.[1]
    const body = await readAll(req)
    const target = new URL(url.pathname + url.search, stack.url)
    if (!service) {
      replyWith(res, await forward(target, req.method ?? 'GET', req.headers, body))
      return
    }
    const ordinal = (counts.get(service) ?? 0) + 1
    counts.set(service, ordinal)
    const fault = faults.get(`${service}#${ordinal}`)
    requests.push({
      service,
      method: req.method ?? 'GET',
      path: url.pathname,
      ordinal,
      faulted: fault !== undefined,
    })
    const send = () => forward(target, req.method ?? 'GET', req.headers, body)
    if (!fault) return replyWith(res, await send())
    if ('delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
      const upstream = await send()
      // The client may have given up meanwhile; the service acted all the same.
      if (!res.destroyed) replyWith(res, upstream)
      return
    }
    if ('truncate' in fault) {
      const upstream = await send()
      res.writeHead(upstream.status, {
        'content-type': String(upstream.headers['content-type'] ?? 'application/json'),
        'content-length': String(Math.max(upstream.body.length, 2)),
      })
      res.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)))
      setTimeout(() => res.socket?.destroy(), 5)
      return
    }
    if (fault.afterEffect) await send()
    if ('reset' in fault) {
      res.socket?.destroy()
      return
    }
    const text = JSON.stringify({ code: fault.status, message: 'injected fault' })
    res.writeHead(fault.status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...(fault.status === 429 || fault.status === 403 ? { 'retry-after': '1' } : {}),
      ...fault.headers,
    })
    res.end(text)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => res.socket?.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const stackOidc = new URL(stack.oidcRequestURL)

  return {
    url,
    fulcioURL: `${url}/fulcio`,
    rekorURL: `${url}/rekor`,
    tsaURL: `${url}${new URL(stack.tsaURL).pathname}`,
    oidcRequestURL: `${url}${stackOidc.pathname}${stackOidc.search}`,
    requests,
    inject(service, ordinal, fault) {
      faults.set(`${service}#${ordinal}`, fault)
    },
    reset() {
      faults.clear()
      counts.clear()
      requests.length = 0
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
