import type { IncomingMessage } from 'node:http'

/** What GitHub links from every error body. */
export const DOCS = 'https://docs.github.com/rest'

/** A GitHub error answer; handlers throw it and the pipeline sends its status and body. */
export class HttpError extends Error {
  readonly status: number
  readonly payload: Record<string, unknown>
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message)
    this.status = status
    this.payload = { message, documentation_url: DOCS, status: String(status), ...extra }
  }
}

export function notFound(): HttpError {
  return new HttpError(404, 'Not Found')
}

export function validationFailed(
  errors: Record<string, unknown>[],
  message = 'Validation Failed',
): HttpError {
  return new HttpError(422, message, { errors })
}

/** GitHub's answer when a release would reuse the tag name of an immutable release. */
export function tagNameBurned(): HttpError {
  return validationFailed([
    {
      resource: 'Release',
      code: 'custom',
      field: 'tag_name',
      message: 'tag_name was used by an immutable release',
    },
  ])
}

export function tagNameTaken(): HttpError {
  return validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }])
}

export interface Reply {
  status: number
  json?: unknown
  headers?: Record<string, string>
  /** A file streamed as the body (asset downloads). */
  file?: { path: string; contentType: string; size: number }
}

export interface RequestContext {
  req: IncomingMessage
  url: URL
  /** Capture groups of the route's template, in order (`owner`, `repo`, then the rest). */
  params: string[]
  body: unknown
}

/** Serialises state changes so concurrent requests see each other's effects, as on GitHub. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve()
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}

/** GitHub's timestamps: ISO 8601 without milliseconds. */
export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'Problems parsing JSON')
  }
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Problems parsing JSON')
  }
  return body as Record<string, unknown>
}

/** One page of `items` as GitHub serves it: `per_page`/`page` query and a `Link` header. */
export function paginate<T>(items: T[], url: URL, apiUrl: string): Reply {
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100)
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const link = (n: number, rel: string): string => {
    const next = new URL(url.pathname + url.search, apiUrl)
    next.searchParams.set('per_page', String(perPage))
    next.searchParams.set('page', String(n))
    return `<${next.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'))
  return { status: 200, json: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} }
}
