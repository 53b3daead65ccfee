// What the action's entry needs before it loads the rest: inputs, secret masks and the failure
// annotation, with @actions/core's exact semantics but without loading @actions/core. Its
// OIDC client pulls in @actions/http-client and undici, about 1 MB of JavaScript that takes
// longer to load than Node itself; a mistyped input should fail without paying for it.
import { writeToDescriptor } from '../util/descriptor-output.ts'
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

/**
 * While an entry reads its inputs (`beforeStdout`), commands go to file descriptor 1
 * directly (writeToDescriptor): a step's output is a pipe, and creating `process.stdout` for
 * it costs about 4 ms of a start-up that is otherwise Node's own (a mistyped input: 40.4 ->
 * 36.2 ms, `node -e 0` 34.6 ms). Nothing has written before then; afterwards `process.stdout`
 * may hold queued writes that a direct one would overtake, so every later line goes through
 * it, as @actions/core's do.
 */
let direct = false

/** Runs the start of an entry (read the inputs, report their error) writing to fd 1 directly. */
export function beforeStdout<T>(task: () => T): T {
  direct = true
  try {
    return task()
  } finally {
    direct = false
  }
}

function writeOut(text: string): void {
  if (direct) writeToDescriptor(1, text)
  else process.stdout.write(text)
}

function issueCommand(command: string, message: string): void {
  // os.EOL, as @actions/core writes. Taken here rather than imported: an ES import of a
  // built-in builds its module facade at start, before the first input is read.
  const { EOL } = process.getBuiltinModule('node:os')
  writeOut(`::${command}::${escapeCommandData(message)}${EOL}`)
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
