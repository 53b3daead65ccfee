import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGitHubFake } from '../support/github-fake/index.ts'
import type { GitHubFake } from '../support/github-fake/index.ts'
import { createGitHubClient } from '../../src/github/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'

let fake: GitHubFake
beforeAll(async () => {
  fake = await startGitHubFake({ validateResponses: true })
})
afterAll(async () => {
  await fake.close()
})

function client(requestTimeoutMs: number, retries = 2) {
  return createGitHubClient({
    token: fake.token,
    apiUrl: fake.url,
    reporter: new RecordingReporter(),
    retries,
    requestTimeoutMs,
    writeIntervalMs: 0,
    millisecondsPerRetrySecond: 5,
  })
}

describe('createGitHubClient', () => {
  it('abandons a request that hangs past the timeout and retries it', async () => {
    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}',
      ordinal: 1,
      fault: { delayMs: 2_000 },
    })
    const started = Date.now()
    const { data } = await client(300).rest.repos.get({ owner: fake.owner, repo: fake.repo })
    expect(data.name).toBe(fake.repo)
    expect(Date.now() - started).toBeLessThan(1_900)
    const gets = fake.requests.filter(
      (r) => r.method === 'GET' && r.route === '/repos/{owner}/{repo}',
    )
    expect(gets.length).toBeGreaterThanOrEqual(2)
  })

  it('does not retry an answer such as 404', async () => {
    const before = fake.requests.length
    await expect(
      client(5_000).rest.repos.getReleaseByTag({ owner: fake.owner, repo: fake.repo, tag: 'nope' }),
    ).rejects.toMatchObject({ status: 404 })
    expect(fake.requests.length - before).toBe(1)
  })

  it('retries a 502 and then succeeds', async () => {
    fake.injectFault({
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}',
      ordinal: 1,
      fault: { status: 502 },
    })
    const { data } = await client(5_000).rest.repos.get({ owner: fake.owner, repo: fake.repo })
    expect(data.full_name).toBe(`${fake.owner}/${fake.repo}`)
    expect(fake.violations).toEqual([])
  })
})
