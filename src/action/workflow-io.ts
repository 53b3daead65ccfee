// What the action's entry needs before it loads the rest: inputs, secret masks and the failure
// annotation, with @actions/core's exact semantics but without loading @actions/core. Its
// OIDC client pulls in @actions/http-client and undici, about 1 MB of JavaScript that takes
// longer to load than Node itself; a mistyped input should fail without paying for it.
import { escapeCommandData } from '../util/log-text.ts'

export interface InputOptions {
  /** Trim leading and trailing whitespace (default true, as in @actions/core). */
  trimWhitespace?: boolean
}

/** `core.getInput`: the runner passes `with:` values as `INPUT_<NAME>`, spaces as `_`. */
export function getInput(name: string, options: InputOptions = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || ''
  return options.trimWhitespace === false ? value : value.trim()
}

function issueCommand(command: string, message: string): void {
  // os.EOL, as @actions/core writes. Taken here rather than imported: an ES import of a
  // built-in builds its module facade at start, before the first input is read.
  const { EOL } = process.getBuiltinModule('node:os')
  process.stdout.write(`::${command}::${escapeCommandData(message)}${EOL}`)
}

/** `core.setSecret`: the runner masks the value in every later log line. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', secret)
}

/** `core.setFailed`: an error annotation and exit status 1. */
export function setFailed(message: string): void {
  process.exitCode = 1
  issueCommand('error', message)
}
