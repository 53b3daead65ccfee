// How every action entry of this repository reads an input and refuses a job that cannot sign:
// one wording for the release, withdraw and verify actions.
// Not @actions/core: entries read inputs before they load anything heavy (see workflow-io.ts).
import * as core from './workflow-io.ts'
import { InputError } from '../util/errors.ts'

export function input(name: string): string {
  return core.getInput(name, { trimWhitespace: true })
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts, but with our error. */
export function booleanInput(name: string, fallback: boolean): boolean {
  const value = input(name)
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `expected true or false, got '${value}'.`)
}

/** Refuses before any request when the job has no `id-token: write` permission. */
export function refuseWithoutIdToken(): void {
  if (
    !process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] ||
    !process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']
  ) {
    throw new InputError(
      'permissions',
      "the job cannot request an OIDC token for keyless signing. Add 'permissions: id-token: write' to the job (and 'contents: write', 'attestations: write').",
    )
  }
}
