import { createReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AssetDownloads } from './assets.ts'
import { sendFault, type FaultBook } from './faults.ts'
import { delay, HttpError, notFound, readJsonBody, type Mutex, type Reply } from './http.ts'
import type { OpenApiResponseValidator, ResponseViolation } from './openapi-validator.ts'
import type { RouteMatch, Router } from './router.ts'
import type { RecordedRequest } from './types.ts'

export interface PipelineParts {
  origin: string
  router: Router
  downloads: AssetDownloads
  faults: FaultBook
  lock: Mutex
  authorised(req: IncomingMessage): boolean
  requests: RecordedRequest[]
  violations: ResponseViolation[]
  /** Present when responses are checked against GitHub's OpenAPI description. */
  validator: OpenApiResponseValidator | undefined
}

function errorReply(error: HttpError): Reply {
  return { status: error.status, json: error.payload }
}

/** OpenAPI describes uploads without the `/uploads` host prefix the fake routes them under. */
function specTemplate(template: string): string {
  return template.replace(/^\/uploads/, '')
}

/** Octokit encodes slashes inside {ref} as %2F; routes match on decoded segments. */
function decodedPathname(url: URL): string {
  return url.pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment)
      } catch {
        return segment
      }
    })
    .join('/')
}

/** Every request: record it, authorise, route, apply planned faults, answer (and validate). */
export class RequestPipeline {
  private readonly parts: PipelineParts
  constructor(parts: PipelineParts) {
    this.parts = parts
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { parts } = this
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', parts.origin)
    const pathname = decodedPathname(url)
    const record: RecordedRequest = {
      method,
      path: pathname,
      route: undefined,
      status: 0,
      faulted: false,
    }
    parts.requests.push(record)

    const download = method === 'GET' ? parts.downloads.pattern.exec(url.pathname) : null
    if (download) {
      const reply = await parts.lock.run(() => parts.downloads.serve(download, url, req))
      this.send(res, reply, record, method, undefined)
      return
    }
    const matched = parts.router.match(method, pathname)
    record.route = matched && specTemplate(matched.route.template)
    if (!parts.authorised(req)) {
      req.resume()
      const unauthorised = errorReply(new HttpError(401, 'Bad credentials'))
      this.send(res, unauthorised, record, method, matched?.route.template)
      return
    }
    if (!matched) {
      req.resume()
      this.send(res, errorReply(notFound()), record, method, undefined)
      return
    }
    await this.dispatch(req, res, { url, pathname, method, record }, matched)
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    request: { url: URL; pathname: string; method: string; record: RecordedRequest },
    matched: RouteMatch,
  ): Promise<void> {
    const { method, record } = request
    const fault = this.parts.faults.take(method, matched.route.template, request.pathname)
    if (fault && 'delayMs' in fault) await delay(fault.delayMs)
    else if (fault && !fault.afterEffect) {
      // The request did nothing: GitHub failed before acting on it.
      req.resume()
      sendFault(res, fault, record)
      return
    }
    const reply = await this.runHandler(req, request.url, method, matched)
    if (fault && !('delayMs' in fault)) {
      // The state changed, but the client never hears about it.
      sendFault(res, fault, record)
      return
    }
    this.send(res, reply, record, method, matched.route.template)
  }

  private async runHandler(
    req: IncomingMessage,
    url: URL,
    method: string,
    { route, params }: RouteMatch,
  ): Promise<Reply> {
    try {
      if (route.streaming) return await route.handler({ req, url, params, body: undefined })
      const body =
        method === 'GET' || method === 'DELETE'
          ? (req.resume(), undefined)
          : await readJsonBody(req)
      return await this.parts.lock.run(() => route.handler({ req, url, params, body }))
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      req.resume()
      return errorReply(error)
    }
  }

  private send(
    res: ServerResponse,
    reply: Reply,
    record: RecordedRequest,
    method: string,
    template: string | undefined,
  ): void {
    record.status = reply.status
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...reply.headers,
    }
    if (reply.file) {
      res.writeHead(reply.status, {
        ...headers,
        'content-type': reply.file.contentType,
        'content-length': String(reply.file.size),
      })
      createReadStream(reply.file.path).pipe(res)
      return
    }
    if (reply.json === undefined) {
      res.writeHead(reply.status, headers)
      res.end()
      // Redirects and 204s have no body to check.
      if (reply.status < 300 && reply.status !== 204) this.validate(method, template, reply)
      return
    }
    this.validate(method, template, reply)
    const text = JSON.stringify(reply.json)
    res.writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    })
    res.end(text)
  }

  private validate(method: string, template: string | undefined, reply: Reply): void {
    const { validator, violations } = this.parts
    if (!validator || !template) return
    const message = validator.check(method, specTemplate(template), reply.status, reply.json)
    if (message) violations.push({ method, route: template, status: reply.status, message })
  }

  /** The server's `request` listener: a fake bug answers 500 instead of hanging the client. */
  listener(): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ message: `fake error: ${String(error)}` }))
        } else {
          res.destroy()
        }
      })
    }
  }
}
