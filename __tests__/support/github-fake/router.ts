import type { Reply, RequestContext } from './http.ts'

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply

export interface Route {
  method: string
  /** OpenAPI template, e.g. `/repos/{owner}/{repo}/releases/{release_id}`. */
  template: string
  pattern: RegExp
  handler: Handler
  /** Uploads stream their body themselves and manage the lock. */
  streaming: boolean
}

export interface RouteMatch {
  route: Route
  params: string[]
}

/** `{ref}`, `{tag}` and `{subject_digest}` may hold slashes; `{basehead}` is `base...head`. */
function templatePattern(template: string): RegExp {
  const source = template
    .replace(/\{(ref|tag|subject_digest)\}/g, '(.+)')
    .replace(/\{basehead\}/g, '([^/]+?)\\.\\.\\.([^/]+)')
    .replace(/\{[a-z_]+\}/g, '([^/]+)')
  return new RegExp(`^${source}$`)
}

/**
 * Method + OpenAPI template → handler. The first route registered wins, so specific templates
 * (`/releases/latest`) go before general ones (`/releases/{release_id}`). `guard` runs before
 * every handler with the route's parameters (the fake checks owner and repo there).
 */
export class Router {
  private readonly routes: Route[] = []
  private readonly guard: (params: string[]) => void
  constructor(guard: (params: string[]) => void) {
    this.guard = guard
  }

  add(
    method: string,
    template: string,
    handler: Handler,
    options: { streaming?: boolean } = {},
  ): void {
    const guarded: Handler = (ctx) => {
      this.guard(ctx.params)
      return handler(ctx)
    }
    this.routes.push({
      method,
      template,
      pattern: templatePattern(template),
      handler: guarded,
      streaming: options.streaming ?? false,
    })
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue
      const m = route.pattern.exec(pathname)
      if (m) return { route, params: m.slice(1) }
    }
    return undefined
  }
}
