// What the CLI writes besides its report: messages on stderr, through the one output layer.
import { writeToDescriptor } from '../util/descriptor-output.ts'
import { logLine } from '../util/log-text.ts'
import type { Reporter } from '../util/reporter.ts'

/** Set by the CLI's entry: tests that run `main` in their own process capture the streams. */
let direct = false

/** The CLI's output goes to file descriptors 1 and 2 directly (see writeToDescriptor). */
export function writeToDescriptors(): void {
  direct = true
}

/** Standard output of a CLI command. */
export function out(text: string): void {
  if (direct) writeToDescriptor(1, text)
  else process.stdout.write(text)
}

/** Standard error of a CLI command. */
export function err(text: string): void {
  if (direct) writeToDescriptor(2, text)
  else process.stderr.write(text)
}

/**
 * Messages quote names and services' answers; the CLI may run in a workflow step, whose
 * runner obeys commands on stderr too, so each goes out as one neutral line (logLine).
 */
export const stderrReporter: Reporter = {
  info: (message) => err(`${logLine(message)}\n`),
  notice: (message) => err(`notice: ${logLine(message)}\n`),
  warning: (message) => err(`warning: ${logLine(message)}\n`),
}
