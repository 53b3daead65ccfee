import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
// Approvals are the change record's own definition, so both records follow one rule.
import changeRecordSchema from '../../schemas/change-record.v1.json' with { type: 'json' }
import schema from '../../schemas/withdrawal.v1.json' with { type: 'json' }

/** One thing wrong with a document, at a JSON Pointer into it (`''` is the whole document). */
export interface Violation {
  path: string
  message: string
}

/** Fields the action fills in; a withdrawal-record file that sets them is refused. */
const RUN_FILLED_FIELDS: readonly string[] = [
  'recordVersion',
  'repository',
  'withdrawn',
  'replacement',
  'run',
  'withdrawnAt',
  'notificationDeadline',
  'awareAt',
]

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020

interface Validators {
  input: ValidateFunction
  record: ValidateFunction
}

let compiled: Validators | undefined

/**
 * All errors are collected: both documents are small (a summary is at most 4000 characters, 50
 * approvals), so ajv's cost for allErrors stays bounded.
 */
function validators(): Validators {
  if (compiled) return compiled
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictRequired: false,
  })
  addFormats(ajv)
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' })
  ajv.addKeyword({ keyword: 'x-path', schemaType: 'string' })
  ajv.addSchema(changeRecordSchema)
  ajv.addSchema(schema)
  const input = ajv.getSchema(schema.$id)
  const record = ajv.getSchema(`${schema.$id}#/$defs/record`)
  if (!input || !record) throw new Error('withdrawal schema failed to compile')
  compiled = { input, record }
  return compiled
}

function violationsOf(doc: unknown, which: keyof Validators): Violation[] {
  const validate = validators()[which]
  if (validate(doc)) return []
  const violations = explain(validate.errors ?? [], which)
  // Never empty: an empty list would read as valid.
  return violations.length > 0 ? violations : [{ path: '', message: 'does not match the schema' }]
}

/** Everything wrong with a finished withdrawal record (withdrawal.json). */
export function validateWithdrawalRecord(doc: unknown): Violation[] {
  return violationsOf(doc, 'record')
}

/** Everything wrong with the file the `withdrawal-record` input names. */
export function validateWithdrawalInput(doc: unknown): Violation[] {
  return violationsOf(doc, 'input')
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path || '/'}: ${v.message}`).join('; ')
}

function annotation(error: ErrorObject, keyword: 'x-message' | 'x-path'): string | undefined {
  const value = (error.parentSchema as Record<string, unknown> | undefined)?.[keyword]
  return typeof value === 'string' ? value : undefined
}

const pointerEscape = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1')

function explainOne(error: ErrorObject, which: keyof Validators): Violation {
  const at = error.instancePath
  const custom = annotation(error, 'x-message')
  if (error.keyword === 'if') {
    return { path: at + (annotation(error, 'x-path') ?? ''), message: custom ?? 'is invalid' }
  }
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty)
    const filled = which === 'input' && RUN_FILLED_FIELDS.includes(field)
    return {
      path: `${at}/${pointerEscape(field)}`,
      message: filled
        ? 'is filled in by the action and must not be set in the withdrawal record file'
        : 'is not a known field (check the spelling against schemas/withdrawal.v1.json)',
    }
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty)
    return { path: `${at}/${pointerEscape(field)}`, message: 'is required' }
  }
  if (custom) return { path: at, message: custom }
  if (error.keyword === 'format') {
    const format = String((error.params as { format: string }).format)
    return {
      path: at,
      message:
        format === 'date-time'
          ? 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-01T08:10:00Z'
          : `must be a valid ${format}`,
    }
  }
  return { path: at, message: error.message ?? 'is invalid' }
}

/** Errors inside the `then` of a rule that has its own message: the rule already explains them. */
function explainedByRule(error: ErrorObject, rules: readonly ErrorObject[]): boolean {
  return rules.some(
    (rule) =>
      error !== rule &&
      error.schemaPath.startsWith(`${rule.schemaPath.slice(0, -'if'.length)}then`) &&
      (error.instancePath === rule.instancePath ||
        error.instancePath.startsWith(`${rule.instancePath}/`)),
  )
}

function explain(errors: ErrorObject[], which: keyof Validators): Violation[] {
  const rules = errors.filter((e) => e.keyword === 'if' && annotation(e, 'x-message'))
  const seen = new Set<string>()
  const violations: Violation[] = []
  for (const error of errors) {
    if (explainedByRule(error, rules)) continue
    const violation = explainOne(error, which)
    const key = `${violation.path}\u0000${violation.message}`
    if (seen.has(key)) continue
    seen.add(key)
    violations.push(violation)
  }
  return violations
}
