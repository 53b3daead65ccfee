import type { ValidateFunction } from 'ajv/dist/2020.js'
import schemaV1 from '../../schemas/change-record.v1.json' with { type: 'json' }
import schemaV2 from '../../schemas/change-record.v2.json' with { type: 'json' }

/** The schema input files are checked against; every version 1 file is a valid version 2 file. */
export const CHANGE_RECORD_SCHEMA_FILE = 'schemas/change-record.v2.json'

import { explainSchemaErrors, schemaValidator } from '../util/json-schema.ts'
import type { ExplainOptions, Violation } from '../util/json-schema.ts'

export { formatViolations } from '../util/json-schema.ts'
export type { Violation } from '../util/json-schema.ts'

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

const EXPLAIN: ExplainOptions = {
  filledFields: RUN_FILLED_FIELDS,
  filledAnywhere: false,
  filledMessage: 'is filled in from the workflow run and must not be set in the change record file',
  unknownMessage: 'is not a known field (check the spelling against the schema)',
}

/** Every error of a document up to this size (as JSON) is listed; a larger one gives its first. */
const ALL_ERRORS_MAX_CHARS = 32 * 1024

function validators(mode: 'firstError' | 'allErrors'): Validators {
  const done = compiled[mode]
  if (done) return done
  const ajv = schemaValidator([schemaV1, schemaV2], mode === 'allErrors')
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
    const [violation = { path: '', message: 'does not match the schema' }] = explainSchemaErrors(
      first.errors ?? [],
      EXPLAIN,
    )
    return [{ ...violation, message: `${violation.message} (the first problem found)` }]
  }
  const all = validators('allErrors')[which]
  return all(doc) ? [] : explainSchemaErrors(all.errors ?? [], EXPLAIN)
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
