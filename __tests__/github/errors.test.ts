import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAccessDenied, isGitHubError, serviceErrorFor } from '../../src/github/index.ts'
import { GitHubError, toGitHubError } from '../../src/github/errors.ts'
import { InputError, ServiceError } from '../../src/util/errors.ts'
import { json, startLoopback } from './loopback.ts'
import type { Loopback } from './loopback.ts'

let server: Loopback
beforeAll(async () => {
  server = await startLoopback((request) => {
    if (request.method === 'POST') {
      return json(
        {
          message: 'Validation Failed',
          errors: [{ resource: 'Reference', code: 'already_exists' }, { code: 'custom' }],
        },
        422,
      )
    }
    return json({ message: 'Not Found' }, 404)
  })
})
afterAll(async () => {
  await server.close()
})

/** The error Octokit throws for one request to the loopback server. */
async function octokitFailure(method: 'GET' | 'POST'): Promise<unknown> {
  const client = server.client()
  return (
    method === 'POST'
      ? client.rest.git.createRef({
          owner: 'o',
          repo: 'r',
          ref: 'refs/tags/v1',
          sha: 'a'.repeat(40),
        })
      : client.rest.repos.get({ owner: 'o', repo: 'r' })
  ).catch((e: unknown) => e)
}

describe('toGitHubError', () => {
  it('keeps the status, the request, GitHub message and the validation codes of a 422', async () => {
    const original = await octokitFailure('POST')
    const error = toGitHubError(original, 'POST /repos/o/r/git/refs')
    expect(error).toBeInstanceOf(GitHubError)
    const github = error as GitHubError
    expect(github.status).toBe(422)
    expect(github.request).toBe('POST /repos/o/r/git/refs')
    expect(github.githubMessage).toBe('Validation Failed')
    expect(github.validationCodes).toEqual(['already_exists', 'custom'])
    // The message stays the client's own, so reports read as they did before the wrapping.
    expect(github.message).toBe((original as Error).message)
    expect(github.cause).toBe(original)
  })

  it('gives no validation codes for other statuses', async () => {
    const error = toGitHubError(await octokitFailure('GET'), 'GET /repos/o/r') as GitHubError
    expect(error.status).toBe(404)
    expect(error.githubMessage).toBe('Not Found')
    expect(error.validationCodes).toEqual([])
    expect(isGitHubError(error)).toBe(true)
    expect(isAccessDenied(error)).toBe(true)
  })

  it('passes through what is not an HTTP answer, and a GitHubError already made', async () => {
    const network = new TypeError('fetch failed')
    expect(toGitHubError(network, 'GET /x')).toBe(network)
    expect(toGitHubError('a string', 'GET /x')).toBe('a string')
    const github = toGitHubError(await octokitFailure('GET'), 'GET /repos/o/r')
    expect(toGitHubError(github, 'GET /other')).toBe(github)
    expect(isGitHubError(network)).toBe(false)
    expect(isAccessDenied(network)).toBe(false)
  })
})

describe('serviceErrorFor', () => {
  it('names GitHub, the resource, what failed, the HTTP status and the message', async () => {
    const github = toGitHubError(await octokitFailure('GET'), 'GET /repos/o/r')
    const error = serviceErrorFor('reading the repository', github, `${server.url}/repos/o/r`)
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as ServiceError).service).toBe('GitHub')
    expect((error as ServiceError).url).toBe(`${server.url}/repos/o/r`)
    expect(error.message).toBe(
      `GitHub (${server.url}/repos/o/r): reading the repository failed (HTTP 404): ${(github as Error).message}`,
    )
    expect(error.cause).toBe(github)
  })

  it('leaves the status out for a failure that is not an HTTP answer', () => {
    const error = serviceErrorFor('reading releases', new TypeError('fetch failed'), 'repos/o/r')
    expect(error.message).toBe('GitHub (repos/o/r): reading releases failed: fetch failed')
  })

  it('passes InputErrors, ServiceErrors and recognised domain errors through', () => {
    const input = new InputError('tag', 'is taken')
    const service = new ServiceError('Rekor', 'https://rekor.example', 'down')
    class Conflict extends Error {}
    const conflict = new Conflict('another run owns the tag')
    expect(serviceErrorFor('x', input, 'r')).toBe(input)
    expect(serviceErrorFor('x', service, 'r')).toBe(service)
    expect(serviceErrorFor('x', conflict, 'r', (e) => e instanceof Conflict)).toBe(conflict)
    expect(serviceErrorFor('x', conflict, 'r')).toBeInstanceOf(ServiceError)
  })
})
