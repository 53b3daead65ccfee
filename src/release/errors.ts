export type ReleaseStep = 'claim' | 'draft' | 'upload' | 'check' | 'publish'

/** Another run created the tag between our check and our claim; nothing was written. */
export class ReleaseConflictError extends Error {
  readonly tag: string
  constructor(tag: string, message: string) {
    super(message)
    this.name = 'ReleaseConflictError'
    this.tag = tag
  }
}

/** The release failed after the tag was claimed; says what was cleaned up and what was not. */
export class ReleaseFailedError extends Error {
  readonly step: ReleaseStep
  /** What could not be removed (empty when nothing was left behind). */
  readonly leftBehind: string[]
  constructor(step: ReleaseStep, message: string, leftBehind: string[], options?: ErrorOptions) {
    super(message, options)
    this.name = 'ReleaseFailedError'
    this.step = step
    this.leftBehind = leftBehind
  }
}
