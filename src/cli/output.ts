// What the CLI writes besides its report: messages on stderr, through the one output layer.
import { logLine } from '../util/log-text.ts'
import type { Reporter } from '../util/reporter.ts'

/**
 * Messages quote names and services' answers; the CLI may run in a workflow step, whose
 * runner obeys commands on stderr too, so each goes out as one neutral line (logLine).
 */
export const stderrReporter: Reporter = {
  info: (message) => process.stderr.write(`${logLine(message)}\n`),
  notice: (message) => process.stderr.write(`notice: ${logLine(message)}\n`),
  warning: (message) => process.stderr.write(`warning: ${logLine(message)}\n`),
}
