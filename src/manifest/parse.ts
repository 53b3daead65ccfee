// Reading a manifest someone else wrote (verify, audit): kept apart from document.ts, which
// writes one, so that `manifest` does not load the JSON-schema validator (Ajv, ~16 ms of
// module loading) it never uses.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import schema from '../../schemas/manifest.v1.json' with { type: 'json' }
import { compareNames } from './order.ts'
import { MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, type Manifest } from './types.ts'

export const MANIFEST_JSON_SCHEMA: object = schema

/** The largest manifest `parseManifest` reads (documented in docs/reliability.md). */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024
/** The most subjects a manifest may list (documented in docs/reliability.md). */
export const MAX_MANIFEST_SUBJECTS = 1_000_000

/**
 * Every error of a manifest up to this size is collected; a larger invalid one reports its
 * first. Ajv with allErrors concatenates each subject's errors onto all before (quadratic: an
 * invalid 30,000-subject manifest took 19 s to reject, a valid one 0.4 s to accept).
 */
const ALL_ERRORS_MAX_BYTES = 64 * 1024

let firstError: ValidateFunction | undefined
let allErrors: ValidateFunction | undefined

/** Schema errors of `value` (null when valid): all of a small document, the first of a large one. */
function validate(value: unknown, size: number): ValidateFunction['errors'] {
  firstError ??= new Ajv2020({ allErrors: false, strict: true }).compile(schema)
  if (firstError(value)) return null
  if (size > ALL_ERRORS_MAX_BYTES) return firstError.errors
  allErrors ??= new Ajv2020({ allErrors: true, strict: true }).compile(schema)
  return allErrors(value) ? null : allErrors.errors
}

/** Refuses a manifest over the documented limits before the costly steps (parse, schema). */
function checkLimits(size: number, value?: unknown): void {
  if (size > MAX_MANIFEST_BYTES) {
    throw new Error(
      `release manifest is ${size} bytes; at most ${MAX_MANIFEST_BYTES} bytes (256 MiB) are supported. Release fewer or smaller subjects.`,
    )
  }
  const subjects = (value as { subjects?: unknown } | null)?.subjects
  if (Array.isArray(subjects) && subjects.length > MAX_MANIFEST_SUBJECTS) {
    throw new Error(
      `release manifest lists ${subjects.length} subjects; at most ${MAX_MANIFEST_SUBJECTS} are supported. Release fewer subjects (pack them into an archive).`,
    )
  }
}

/**
 * Reads a manifest (bytes or text), checks it against `schemas/manifest.v1.json` and the rules
 * a schema cannot state (subjects sorted by name, names unique). Throws an Error saying what
 * is wrong and where.
 */
export function parseManifest(bytes: Buffer | string): Manifest {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.length
  checkLimits(size)
  let value: unknown
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'))
  } catch (error) {
    throw new Error(`release manifest is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    })
  }
  checkLimits(size, value)
  const errors = validate(value, size)
  if (errors) {
    const details = errors
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ')
    const only = size > ALL_ERRORS_MAX_BYTES ? ' (the first problem found)' : ''
    throw new Error(
      `release manifest does not match schema ${MANIFEST_SCHEMA_VERSION}${only}: ${details}. It is not a manifest immutable-release wrote: download the release's ${MANIFEST_FILE} again.`,
    )
  }
  const manifest = value as Manifest
  manifest.subjects.forEach((subject, i) => {
    const previous = manifest.subjects[i - 1]
    if (previous && compareNames(previous.name, subject.name) >= 0) {
      throw new Error(
        `release manifest subjects must be sorted by name with unique names; '${subject.name}' follows '${previous.name}'`,
      )
    }
  })
  return manifest
}
