/**
 * Where capabilities send what a person should see. The action layer backs it with
 * `@actions/core` (annotations), the CLI with the console; tests collect the messages.
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

/** A reporter that keeps every message, for tests and for summaries. */
export class RecordingReporter implements Reporter {
  readonly messages: { level: 'info' | 'notice' | 'warning'; message: string }[] = []
  info(message: string): void {
    this.messages.push({ level: 'info', message })
  }
  notice(message: string): void {
    this.messages.push({ level: 'notice', message })
  }
  warning(message: string): void {
    this.messages.push({ level: 'warning', message })
  }
  get warnings(): string[] {
    return this.messages.filter((m) => m.level === 'warning').map((m) => m.message)
  }
}
