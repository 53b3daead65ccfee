import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import schemaV1 from '../../schemas/change-record.v1.json' with { type: 'json' }
import schemaV2 from '../../schemas/change-record.v2.json' with { type: 'json' }

/** The schema input files are checked against; every version 1 file is a valid version 2 file. */
export const CHANGE_RECORD_SCHEMA_FILE = 'schemas/change-record.v2.json'

/** One thing wrong with a document, at a JSON Pointer into it (`''` is the whole document). */
export interface Violation {
  path: string
  message: string
}

/** Fields the action fills from the workflow run; a file that sets them is rejected. */
export const RUN_FILLED_FIELDS: readonly string[] = [
  'recordVersion',
  'release',
  'repository',
  'commit',
  'tag',
  'manifest',
  'manifestDigest',
  'chain',
  'previous',
  'commits',
  'run',
  'createdAt',
  'time',
  'nonce',
  'identifiers',
  'signing',
]

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020

interface Validators {
  input: ValidateFunction
  /** Records the action writes now (recordVersion 2). */
  record: ValidateFunction
  /** Records of earlier releases (recordVersion 1), which verify and audit still read. */
  recordV1: ValidateFunction
}

/**
 * The schema compiled twice: stopping at the first error, and collecting all. Ajv with
 * allErrors concatenates each `$ref`'d item's errors onto all before, which is quadratic in
 * the number of errors (an invalid 1.1 MB record took 14 s), so all are collected only for a
 * document that `firstError` rejected and that is small.
 */
const compiled: { firstError?: Validators; allErrors?: Validators } = {}

/** Every error of a document up to this size (as JSON) is listed; a larger one gives its first. */
const ALL_ERRORS_MAX_CHARS = 32 * 1024

function validators(mode: 'firstError' | 'allErrors'): Validators {
  const done = compiled[mode]
  if (done) return done
  const ajv = new Ajv2020({
    allErrors: mode === 'allErrors',
    // Errors then carry the rule they broke, and with it the rule's `x-message`.
    verbose: true,
    // Unknown keywords and formats are schema bugs. Conditional rules deliberately constrain
    // fields that are typed and declared elsewhere (`then: { required: [...] }`).
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictRequired: false,
  })
  addFormats(ajv)
  // Human messages and error locations live next to the rules they explain.
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' })
  ajv.addKeyword({ keyword: 'x-path', schemaType: 'string' })
  ajv.addSchema(schemaV1)
  ajv.addSchema(schemaV2)
  const input = ajv.getSchema(schemaV2.$id)
  const record = ajv.getSchema(`${schemaV2.$id}#/$defs/record`)
  const recordV1 = ajv.getSchema(`${schemaV1.$id}#/$defs/record`)
  if (!input || !record || !recordV1) throw new Error('change record schema failed to compile')
  compiled[mode] = { input, record, recordV1 }
  return compiled[mode]
}

/** The violations of `doc` against one schema: all of a small document, the first of a large one. */
function violationsOf(doc: unknown, which: keyof Validators): Violation[] {
  const first = validators('firstError')[which]
  if (first(doc)) return []
  const size = JSON.stringify(doc)?.length ?? 0
  if (size > ALL_ERRORS_MAX_CHARS) {
    // Never empty: an empty list would read as valid.
    const [violation = { path: '', message: 'does not match the schema' }] = explain(
      first.errors ?? [],
    )
    return [{ ...violation, message: `${violation.message} (the first problem found)` }]
  }
  const all = validators('allErrors')[which]
  return all(doc) ? [] : explain(all.errors ?? [])
}

/** Everything wrong with a change-record input document (the first thing, if it is large). */
export function validateChangeRecordInput(doc: unknown): Violation[] {
  return violationsOf(doc, 'input')
}

/**
 * Everything wrong with a complete record (for verifiers and tests; bounded as above). A record
 * that says `recordVersion: 1` is checked against version 1 of the schema, which earlier
 * releases were made with; any other against the current version.
 */
export function validateChangeRecord(record: unknown): Violation[] {
  const version = (record as { recordVersion?: unknown } | null)?.recordVersion
  return violationsOf(record, version === 1 ? 'recordV1' : 'record')
}

function annotation(error: ErrorObject, keyword: 'x-message' | 'x-path'): string | undefined {
  const parent = error.parentSchema as Record<string, unknown> | undefined
  const value = parent?.[keyword]
  return typeof value === 'string' ? value : undefined
}

/**
 * Errors inside the `then` of a conditional rule, or inside the branches of a `oneOf`, that has
 * its own message: the rule's error (keyword `if` or `oneOf`) already explains them. ajv reports schema paths relative to the `$ref` target,
 * so a rule is matched by its relative path and by the instance it applies to.
 */
function explainedByRule(error: ErrorObject, rules: readonly ErrorObject[]): boolean {
  return rules.some(
    (rule) =>
      error !== rule &&
      // A oneOf's branches may be $refs, whose errors carry the target's schema path.
      (rule.keyword === 'oneOf' ||
        error.schemaPath.startsWith(`${rule.schemaPath.slice(0, -'if'.length)}then/`)) &&
      (error.instancePath === rule.instancePath ||
        error.instancePath.startsWith(`${rule.instancePath}/`)),
  )
}

function pointerEscape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

function explainOne(error: ErrorObject): Violation {
  const at = error.instancePath
  const custom = annotation(error, 'x-message')
  if (error.keyword === 'if') {
    return { path: at + (annotation(error, 'x-path') ?? ''), message: custom ?? 'is invalid' }
  }
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty)
    const path = `${at}/${pointerEscape(field)}`
    if (at === '' && RUN_FILLED_FIELDS.includes(field)) {
      return {
        path,
        message: 'is filled in from the workflow run and must not be set in the change record file',
      }
    }
    return { path, message: 'is not a known field (check the spelling against the schema)' }
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty)
    return { path: `${at}/${pointerEscape(field)}`, message: 'is required' }
  }
  if (custom) return { path: at, message: custom }
  if (error.keyword === 'format') {
    const format = String((error.params as { format: string }).format)
    const examples: Record<string, string> = {
      'date-time': 'an RFC 3339 date-time with a time zone, e.g. 2025-03-01T09:00:00Z',
      email: 'an e-mail address',
      uri: 'an absolute URL',
    }
    return { path: at, message: `must be ${examples[format] ?? `a valid ${format}`}` }
  }
  return { path: at, message: error.message ?? 'is invalid' }
}

function explain(errors: ErrorObject[]): Violation[] {
  // A conditional rule, or a choice of shapes (oneOf), with its own message explains the errors
  // found inside it.
  const rules = errors.filter(
    (e) => (e.keyword === 'if' || e.keyword === 'oneOf') && annotation(e, 'x-message'),
  )
  const seen = new Set<string>()
  const violations: Violation[] = []
  for (const error of errors) {
    if (explainedByRule(error, rules)) continue
    const violation = explainOne(error)
    const key = `${violation.path}\u0000${violation.message}`
    if (seen.has(key)) continue
    seen.add(key)
    violations.push(violation)
  }
  return violations
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path || '/'}: ${v.message}`).join('; ')
}
