// JSON Schema validation as the project's records use it: Ajv for draft 2020-12 with formats,
// the `x-message` and `x-path` annotations that put a human message next to the rule it
// explains, and ajv's errors turned into one message per problem at a JSON Pointer.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

/** One thing wrong with a document, at a JSON Pointer into it (`''` is the whole document). */
export interface Violation {
  path: string
  message: string
}

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020

/** An Ajv instance holding `schemas`, compiled strictly. */
export function schemaValidator(schemas: readonly object[], allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors,
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
  for (const schema of schemas) ajv.addSchema(schema)
  return ajv
}

/** How a document's own vocabulary shapes the messages. */
export interface ExplainOptions {
  /** Fields the program fills in, which a person's file must not set. */
  filledFields: readonly string[]
  /** Whether `filledFields` are refused at the top level only, or at any depth. */
  filledAnywhere: boolean
  /** The message for such a field. */
  filledMessage: string
  /** The message for any other unknown field. */
  unknownMessage: string
}

function annotation(error: ErrorObject, keyword: 'x-message' | 'x-path'): string | undefined {
  const parent = error.parentSchema as Record<string, unknown> | undefined
  const value = parent?.[keyword]
  return typeof value === 'string' ? value : undefined
}

/**
 * Errors inside the `then` of a conditional rule, or inside the branches of a `oneOf`, that has
 * its own message: the rule's error (keyword `if` or `oneOf`) already explains them. ajv
 * reports schema paths relative to the `$ref` target, so a rule is matched by its relative path
 * and by the instance it applies to.
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

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time with a time zone, e.g. 2026-12-01T08:10:00Z',
  email: 'an e-mail address',
  uri: 'an absolute URL',
}

function explainOne(error: ErrorObject, options: ExplainOptions): Violation {
  const at = error.instancePath
  const custom = annotation(error, 'x-message')
  if (error.keyword === 'if') {
    return { path: at + (annotation(error, 'x-path') ?? ''), message: custom ?? 'is invalid' }
  }
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty)
    const path = `${at}/${pointerEscape(field)}`
    const filled = (options.filledAnywhere || at === '') && options.filledFields.includes(field)
    return { path, message: filled ? options.filledMessage : options.unknownMessage }
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty)
    return { path: `${at}/${pointerEscape(field)}`, message: 'is required' }
  }
  if (custom) return { path: at, message: custom }
  if (error.keyword === 'format') {
    const format = String((error.params as { format: string }).format)
    return { path: at, message: `must be ${FORMAT_EXAMPLES[format] ?? `a valid ${format}`}` }
  }
  return { path: at, message: error.message ?? 'is invalid' }
}

/** One violation per problem; never empty for a rejected document (empty would read as valid). */
export function explainSchemaErrors(
  errors: readonly ErrorObject[],
  options: ExplainOptions,
): Violation[] {
  // A conditional rule, or a choice of shapes (oneOf), with its own message explains the errors
  // found inside it.
  const rules = errors.filter(
    (e) => (e.keyword === 'if' || e.keyword === 'oneOf') && annotation(e, 'x-message'),
  )
  const seen = new Set<string>()
  const violations: Violation[] = []
  for (const error of errors) {
    if (explainedByRule(error, rules)) continue
    const violation = explainOne(error, options)
    const key = `${violation.path}\u0000${violation.message}`
    if (seen.has(key)) continue
    seen.add(key)
    violations.push(violation)
  }
  return violations.length > 0 ? violations : [{ path: '', message: 'does not match the schema' }]
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path || '/'}: ${v.message}`).join('; ')
}
