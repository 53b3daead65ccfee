import { afterEach, describe, expect, it } from 'vitest'
import { iteratePages, listAllPages } from '../../src/github/index.ts'
import { GitHubError, IncompleteResponseError } from '../../src/github/errors.ts'
import { json, startLoopback } from './loopback.ts'
import type { Answer, Loopback } from './loopback.ts'

const ROUTE = 'GET /repos/{owner}/{repo}/releases'
const items = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: from + i }))

let server: Loopback | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Serves page n of `pages` (1-based) for `?page=n`, or what `override` says for that page. */
async function serve(pages: unknown[][], override?: (page: number) => Answer | undefined) {
  server = await startLoopback((_request, url) => {
    const page = Number(url.searchParams.get('page'))
    return override?.(page) ?? json(pages[page - 1] ?? [])
  })
  return server
}

describe('listAllPages', () => {
  it('reads pages of 100 until a short one, asking for each page by number', async () => {
    const loopback = await serve([items(0, 100), items(100, 3)])
    const all = await listAllPages<{ id: number }>(
      loopback.client(),
      ROUTE,
      { owner: 'o', repo: 'r' },
      'listing releases',
    )
    expect(all.map((r) => r.id)).toEqual(items(0, 103).map((r) => r.id))
    expect(loopback.requests).toEqual([
      'GET /repos/o/r/releases?per_page=100&page=1',
      'GET /repos/o/r/releases?per_page=100&page=2',
    ])
  })

  it('refuses a cut-off page instead of reading it as the end of the list', async () => {
    const cutOff = { status: 200, body: '' }
    const loopback = await serve([items(0, 100), items(100, 3)], (page) =>
      page === 2 ? cutOff : undefined,
    )
    const error = await listAllPages(
      loopback.client(),
      ROUTE,
      { owner: 'o', repo: 'r' },
      'listing releases',
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IncompleteResponseError)
    expect((error as Error).message).toBe("GitHub's answer to listing releases was cut off")
    // The cut-off page is read three times in all before the list is refused.
    expect(loopback.requests.filter((r) => r.endsWith('page=2'))).toHaveLength(3)
  })

  it('reads a page again when its first answer was cut off', async () => {
    let cutOffs = 0
    const loopback = await serve([items(0, 100), items(100, 3)], (page) =>
      page === 2 && cutOffs++ === 0 ? { status: 200, body: '[{"id": 100}, {"id"' } : undefined,
    )
    const all = await listAllPages(loopback.client(), ROUTE, { owner: 'o', repo: 'r' }, 'releases')
    expect(all).toHaveLength(103)
    expect(loopback.requests).toHaveLength(3)
  })

  it('turns an HTTP error into a GitHubError naming the request', async () => {
    const loopback = await serve([], () => json({ message: 'Not Found' }, 404))
    const error = await listAllPages(
      loopback.client(),
      ROUTE,
      { owner: 'o', repo: 'r' },
      'releases',
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(404)
    expect((error as GitHubError).request).toBe('GET /repos/o/r/releases')
    expect((error as GitHubError).githubMessage).toBe('Not Found')
  })
})

describe('iteratePages', () => {
  it('stops after maxPages even when every page is full', async () => {
    const loopback = await serve([items(0, 100), items(100, 100), items(200, 100)])
    const seen: number[] = []
    for await (const page of iteratePages<{ id: number }>(
      loopback.client(),
      ROUTE,
      { owner: 'o', repo: 'r' },
      'releases',
      2,
    )) {
      seen.push(page.length)
    }
    expect(seen).toEqual([100, 100])
    expect(loopback.requests).toHaveLength(2)
  })
})
