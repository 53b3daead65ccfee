import type { Reporter } from '../../src/util/reporter.ts'

/** A reporter that keeps every message, so tests can assert on what a person would see. */
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
