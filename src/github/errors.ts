import { InputError, ServiceError, errorMessage } from '../util/errors.ts'

/**
 * A request GitHub answered with an HTTP error. Only src/github/ reads the status; everything
 * outside sees domain outcomes or a ServiceError made by `serviceErrorFor`.
 */
export class GitHubError extends Error {
  readonly status: number
  /** Method and path of the failed request, e.g. `POST /repos/o/r/git/refs`. */
  readonly request: string
  /** The `message` of GitHub's JSON answer, or the client's message when there was none. */
  readonly githubMessage: string
  /** GitHub's 422 `errors[].code` values (e.g. `already_exists`); empty for other statuses. */
  readonly validationCodes: string[]

  constructor(
    fields: { status: number; request: string; githubMessage: string; validationCodes: string[] },
    message: string,
    options?: ErrorOptions,
  ) {
    // The message stays the client's own, so reports read as they did before the wrapping.
    super(message, options)
    this.name = 'GitHubError'
    this.status = fields.status
    this.request = fields.request
    this.githubMessage = fields.githubMessage
    this.validationCodes = fields.validationCodes
  }
}

/** What an Octokit RequestError carries: an Error with a numeric HTTP status. */
interface RequestFailure extends Error {
  status: number
  response?: { data?: unknown }
}

function isRequestFailure(error: unknown): error is RequestFailure {
  return error instanceof Error && typeof (error as Partial<RequestFailure>).status === 'number'
}

/** GitHub's JSON error body: `{ message, errors: [{ code }] }`. */
function readErrorBody(data: unknown): { message?: string; codes: string[] } {
  if (data === null || typeof data !== 'object') return { codes: [] }
  const body = data as { message?: unknown; errors?: unknown }
  const errors = Array.isArray(body.errors) ? (body.errors as { code?: unknown }[]) : []
  return {
    ...(typeof body.message === 'string' ? { message: body.message } : {}),
    codes: errors.map((e) => (typeof e?.code === 'string' ? e.code : '')),
  }
}

/**
 * Wraps an Octokit RequestError (an HTTP answer) in a GitHubError naming `request`; anything
 * else (a GitHubError already, a network failure, a cut-off answer) passes through unchanged.
 */
export function toGitHubError(error: unknown, request: string): unknown {
  if (error instanceof GitHubError || !isRequestFailure(error)) return error
  const body = readErrorBody(error.response?.data)
  return new GitHubError(
    {
      status: error.status,
      request,
      githubMessage: body.message ?? error.message,
      validationCodes: error.status === 422 ? body.codes : [],
    },
    error.message,
    { cause: error },
  )
}

export function isGitHubError(error: unknown): error is GitHubError {
  return error instanceof GitHubError
}

/** True for a GitHubError with one of `statuses`: the few places that turn a status into an outcome. */
export function hasStatus(error: unknown, ...statuses: number[]): error is GitHubError {
  return isGitHubError(error) && statuses.includes(error.status)
}

/** The HTTP status of an Octokit RequestError or a GitHubError, for code inside src/github/. */
export function statusOf(error: unknown): number | undefined {
  return isRequestFailure(error) ? error.status : undefined
}

/**
 * The one translation of a failed GitHub conversation into the project's ServiceError:
 * `GitHub (<resource>): <what> failed (HTTP <status>): <message>`. InputErrors, ServiceErrors
 * and the errors `isDomainError` recognises are already outcomes the user can act on and pass
 * through unchanged.
 */
export function serviceErrorFor(
  what: string,
  error: unknown,
  resource: string,
  isDomainError: (error: unknown) => boolean = () => false,
): Error {
  if (error instanceof InputError || error instanceof ServiceError || isDomainError(error)) {
    return error as Error
  }
  return gitHubServiceError({ service: 'GitHub', resource, what }, error)
}

/**
 * The one wording of a failed GitHub request: "<what> failed (HTTP <status>): <message>".
 * Octokit's own message is only the status text ("Server Error"), so the status and the
 * request's purpose are added. The release flow names the service 'GitHub API', as it always has.
 */
export function gitHubServiceError(
  failure: { service: string; resource: string; what: string },
  error: unknown,
): ServiceError {
  const status = statusOf(error)
  return new ServiceError(
    failure.service,
    failure.resource,
    `${failure.what} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${errorMessage(error)}`,
    { cause: error },
  )
}

/** A response whose body was cut off: Octokit then hands back an empty string as the data. */
export class IncompleteResponseError extends Error {
  constructor(what: string) {
    super(`GitHub's answer to ${what} was cut off`)
    this.name = 'IncompleteResponseError'
  }
}

/** `data` when it is a JSON object; a cut-off answer (an empty string) throws IncompleteResponseError. */
export function expectObject<T>(data: T, what: string): T {
  if (data === null || typeof data !== 'object') throw new IncompleteResponseError(what)
  return data
}

/**
 * GitHub would not show the resource to this identity: 401, 403, or the 404 it answers for
 * what a caller may not see. Without a token that usually means a private repository.
 */
export function isAccessDenied(error: unknown): error is GitHubError {
  return hasStatus(error, 401, 403, 404)
}
