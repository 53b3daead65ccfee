import type { ValidateFunction } from 'ajv/dist/2020.js'
// Approvals are the change record's own definition, so both records follow one rule.
import changeRecordSchema from '../../schemas/change-record.v1.json' with { type: 'json' }
import schema from '../../schemas/withdrawal.v1.json' with { type: 'json' }
import { explainSchemaErrors, schemaValidator } from '../util/json-schema.ts'
import type { ExplainOptions, Violation } from '../util/json-schema.ts'

export { formatViolations } from '../util/json-schema.ts'
export type { Violation } from '../util/json-schema.ts'

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
  const ajv = schemaValidator([changeRecordSchema, schema], true)
  const input = ajv.getSchema(schema.$id)
  const record = ajv.getSchema(`${schema.$id}#/$defs/record`)
  if (!input || !record) throw new Error('withdrawal schema failed to compile')
  compiled = { input, record }
  return compiled
}

const EXPLAIN: Record<keyof Validators, ExplainOptions> = {
  input: {
    filledFields: RUN_FILLED_FIELDS,
    // `breach.awareAt` and `breach.notificationDeadline` are computed too.
    filledAnywhere: true,
    filledMessage: 'is filled in by the action and must not be set in the withdrawal record file',
    unknownMessage: 'is not a known field (check the spelling against schemas/withdrawal.v1.json)',
  },
  record: {
    filledFields: [],
    filledAnywhere: false,
    filledMessage: '',
    unknownMessage: 'is not a known field (check the spelling against schemas/withdrawal.v1.json)',
  },
}

function violationsOf(doc: unknown, which: keyof Validators): Violation[] {
  const validate = validators()[which]
  return validate(doc) ? [] : explainSchemaErrors(validate.errors ?? [], EXPLAIN[which])
}

/** Everything wrong with a finished withdrawal record (withdrawal.json). */
export function validateWithdrawalRecord(doc: unknown): Violation[] {
  return violationsOf(doc, 'record')
}

/** Everything wrong with the file the `withdrawal-record` input names. */
export function validateWithdrawalInput(doc: unknown): Violation[] {
  return violationsOf(doc, 'input')
}
