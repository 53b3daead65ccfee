import * as core from '@actions/core'
import { logLine } from '../util/log-text.ts'
import type { AnnotationProperties, Reporter } from '../util/reporter.ts'

/**
 * Capabilities' messages as workflow log lines and annotations. core.info writes its text as it
 * is, so a message holding a line break and `::add-mask::` would be obeyed as a command: each
 * goes out as one neutral line (logLine). core.notice and core.warning already escape their
 * message and properties as command data, which the runner decodes for the annotation.
 */
export const actionsReporter: Reporter = {
  info: (message) => core.info(logLine(message)),
  notice: (message, properties?: AnnotationProperties) => core.notice(message, properties),
  warning: (message, properties?: AnnotationProperties) => core.warning(message, properties),
}
