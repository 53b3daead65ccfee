import * as core from '@actions/core'
import type { AnnotationProperties, Reporter } from '../util/reporter.ts'

/** Capabilities' messages as workflow log lines and annotations. */
export const actionsReporter: Reporter = {
  info: (message) => core.info(message),
  notice: (message, properties?: AnnotationProperties) => core.notice(message, properties),
  warning: (message, properties?: AnnotationProperties) => core.warning(message, properties),
}
