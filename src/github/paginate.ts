import type { GitHubClient } from './client.ts'
import { IncompleteResponseError, toGitHubError } from './errors.ts'
import { reread } from './retry.ts'

/** GitHub's largest page size. */
export const PER_PAGE = 100

/** `GET /repos/{owner}/{repo}/releases` with its placeholders filled, for error reports. */
export function describeRequest(route: string, params: Record<string, unknown>): string {
  return route.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  )
}

/**
 * Yields a list's pages one by one, each a JSON array, until a page comes back short or
 * `maxPages` were read. A page whose answer was cut off is read again and, if it stays cut
 * off, refused (IncompleteResponseError): Octokit's paginate would turn it into an empty
 * page, read as the end of the list, hiding a draft or an asset. HTTP errors become GitHubErrors.
 */
export async function* iteratePages<T>(
  client: GitHubClient,
  route: string,
  params: Record<string, unknown>,
  what: string,
  maxPages = Number.POSITIVE_INFINITY,
): AsyncGenerator<T[]> {
  for (let page = 1; page <= maxPages; page++) {
    const pageParams = { ...params, per_page: PER_PAGE, page }
    const items = await reread(async () => {
      let data: unknown
      try {
        ;({ data } = await client.request(route, pageParams))
      } catch (error) {
        throw toGitHubError(error, describeRequest(route, pageParams))
      }
      if (!Array.isArray(data)) throw new IncompleteResponseError(what)
      return data as T[]
    })
    yield items
    if (items.length < PER_PAGE) return
  }
}

/** Every item of a list (see `iteratePages`: a cut-off page is refused, never read as the end). */
export async function listAllPages<T>(
  client: GitHubClient,
  route: string,
  params: Record<string, unknown>,
  what: string,
): Promise<T[]> {
  const items: T[] = []
  for await (const page of iteratePages<T>(client, route, params, what)) items.push(...page)
  return items
}
