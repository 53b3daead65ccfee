/**
 * Where capabilities send what a person should see. The action layer backs it with
 * `@actions/core` (annotations), the CLI with the console; tests collect the messages
 * (`__tests__/support/recording-reporter.ts`).
 * Capabilities never import `@actions/core` themselves.
 */
export interface AnnotationProperties {
  title?: string
  file?: string
}

export interface Reporter {
  info(message: string): void
  notice(message: string, properties?: AnnotationProperties): void
  warning(message: string, properties?: AnnotationProperties): void
}

export const silentReporter: Reporter = {
  info: () => {},
  notice: () => {},
  warning: () => {},
}
