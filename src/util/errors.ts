/**
 * An error caused by what the user gave the action or the CLI. It names the input so the
 * message tells the user which setting to fix; the action reports it as a failure without
 * a stack trace, and the CLI exits with status 2.
 */
export class InputError extends Error {
  readonly input: string

  constructor(input: string, message: string, options?: ErrorOptions) {
    super(`Input '${input}': ${message}`, options)
    this.name = 'InputError'
    this.input = input
  }
}

/**
 * An outside service (Fulcio, Rekor, a timestamp authority, the GitHub API) failed in a way
 * retries did not cure. It names the service and its URL.
 */
export class ServiceError extends Error {
  readonly service: string
  readonly url: string

  constructor(service: string, url: string, message: string, options?: ErrorOptions) {
    super(`${service} (${url}): ${message}`, options)
    this.name = 'ServiceError'
    this.service = service
    this.url = url
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
