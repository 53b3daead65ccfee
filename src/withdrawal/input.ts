/**
 * What the person withdrawing says: the action's inputs, or the file the `withdrawal-record`
 * input names (never both), checked into one request before anything is read from GitHub.
 */
import { realpath } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { parse } from 'yaml'
import type { Approval } from '../change-record/index.ts'
import { InputError, errorMessage } from '../util/errors.ts'
import { isInside } from '../util/path.ts'
import { readRegularFile } from '../util/read-user-file.ts'
import { WITHDRAWAL_TAG_PREFIX } from './constants.ts'
import { formatViolations, validateWithdrawalInput } from './schema.ts'
import { WITHDRAWAL_REASONS, type BreachNotification, type WithdrawalReason } from './types.ts'

const FILE_INPUT = 'withdrawal-record'
/** A withdrawal record is a page of text; anything larger is a mistake. */
const MAX_FILE_BYTES = 64 * 1024
/** Clocks of runners and people differ; a detection this far ahead of the run is a typo. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000

/** The Art. 33 / Art. 34 assessment as the person gives it (the action adds the times). */
export type BreachAssessment = Partial<
  Pick<
    BreachNotification,
    | 'notifiable'
    | 'justification'
    | 'authorityNotifiedAt'
    | 'authorityReference'
    | 'dataSubjectsInformed'
  >
>

/** The `withdrawal-record` file, after schemas/withdrawal.v1.json accepted it. */
export interface WithdrawalRecordFile {
  tag?: string
  reason: WithdrawalReason
  summary: string
  incidentReference?: string
  detectedAt?: string
  replacementTag?: string
  breach?: BreachAssessment
  approvals?: Approval[]
}

/** The action's inputs that describe the withdrawal, as given (empty when not set). */
export interface WithdrawalInputs {
  tag: string
  reason: string
  summary: string
  incidentReference: string
  detectedAt: string
  replacementTag: string
}

/** One checked withdrawal request; `inputOf` names the input each field came from. */
export interface WithdrawalRequest {
  tag: string
  reason: WithdrawalReason
  summary: string
  incidentReference?: string
  /** ISO 8601 UTC, whole seconds. */
  awareAt: string
  replacementTag?: string
  breach?: BreachAssessment
  approvals?: Approval[]
  /** Which input a field of the record came from, for error messages. */
  inputOf: (field: 'summary' | 'incidentReference' | 'breach' | 'approvals') => string
}

/** `2026-12-01T08:10:00Z`: UTC, whole seconds (fractions are noise in a legal deadline). */
export function isoSeconds(time: Date | number): string {
  return new Date(Math.floor(new Date(time).getTime() / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z')
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/

/** `detected-at` as UTC: an RFC 3339 time with a zone, not in the future. Default: `now`. */
export function parseDetectedAt(value: string | undefined, now: Date, input: string): string {
  if (value === undefined || value.trim() === '') return isoSeconds(now)
  const text = value.trim()
  const time = Date.parse(text)
  if (!RFC3339.test(text) || Number.isNaN(time)) {
    throw new InputError(
      input,
      `"${text}" is not an RFC 3339 date-time with a time zone; write it like 2026-12-01T08:10:00Z.`,
    )
  }
  if (time > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new InputError(
      input,
      `${text} is in the future (the run started at ${isoSeconds(now)}); give the time the incident became known.`,
    )
  }
  return isoSeconds(time)
}

function checkTags(tag: string, replacementTag: string | undefined, tagInput: string): void {
  if (!tag) {
    throw new InputError('tag', 'is required: name the published release to withdraw, e.g. v1.4.0.')
  }
  if (tag.startsWith(WITHDRAWAL_TAG_PREFIX)) {
    throw new InputError(
      tagInput,
      `"${tag}" is a withdrawal release itself; withdrawals are permanent and cannot be withdrawn.`,
    )
  }
  if (replacementTag !== undefined && replacementTag === tag) {
    throw new InputError('replacement-tag', `is the withdrawn tag ${tag} itself.`)
  }
}

function reasonOf(value: string, input: string): WithdrawalReason {
  if ((WITHDRAWAL_REASONS as readonly string[]).includes(value)) return value as WithdrawalReason
  throw new InputError(
    input,
    value
      ? `"${value}" is not a withdrawal reason; use one of ${WITHDRAWAL_REASONS.join(', ')}.`
      : `is required: one of ${WITHDRAWAL_REASONS.join(', ')}.`,
  )
}

/** The request from the action's inputs alone. */
function fromInputs(inputs: WithdrawalInputs, now: Date): WithdrawalRequest {
  const reason = reasonOf(inputs.reason, 'reason')
  const summary = inputs.summary.trim()
  if (!summary) {
    throw new InputError(
      'summary',
      'is required: say in one or two sentences what is wrong with the release.',
    )
  }
  if (summary.length > 4000) throw new InputError('summary', 'is longer than 4000 characters.')
  const incidentReference = inputs.incidentReference.trim() || undefined
  if (incidentReference !== undefined && incidentReference.length > 200) {
    throw new InputError('incident-reference', 'is longer than 200 characters.')
  }
  const replacementTag = inputs.replacementTag || undefined
  checkTags(inputs.tag, replacementTag, 'tag')
  return {
    tag: inputs.tag,
    reason,
    summary,
    ...(incidentReference ? { incidentReference } : {}),
    awareAt: parseDetectedAt(inputs.detectedAt, now, 'detected-at'),
    ...(replacementTag ? { replacementTag } : {}),
    inputOf: (field) =>
      ({
        summary: 'summary',
        incidentReference: 'incident-reference',
        breach: 'detected-at',
        approvals: FILE_INPUT,
      })[field],
  }
}

/** The request from a withdrawal-record file (plus the `tag` input, which must agree). */
function fromFile(file: WithdrawalRecordFile, tagInput: string, now: Date): WithdrawalRequest {
  if (file.tag !== undefined && tagInput && file.tag !== tagInput) {
    throw new InputError(
      FILE_INPUT,
      `names tag ${file.tag}, but the tag input is ${tagInput}; give the tag one way.`,
    )
  }
  const tag = tagInput || file.tag || ''
  checkTags(tag, file.replacementTag, tagInput ? 'tag' : FILE_INPUT)
  return {
    tag,
    reason: file.reason,
    summary: file.summary,
    ...(file.incidentReference ? { incidentReference: file.incidentReference } : {}),
    awareAt: parseDetectedAt(file.detectedAt, now, FILE_INPUT),
    ...(file.replacementTag ? { replacementTag: file.replacementTag } : {}),
    ...(file.breach ? { breach: file.breach } : {}),
    ...(file.approvals ? { approvals: file.approvals } : {}),
    inputOf: () => FILE_INPUT,
  }
}

/** The inputs that a withdrawal-record file replaces. */
const REPLACED_BY_FILE: readonly (keyof WithdrawalInputs)[] = [
  'reason',
  'summary',
  'incidentReference',
  'detectedAt',
  'replacementTag',
]
const INPUT_NAMES: Record<keyof WithdrawalInputs, string> = {
  tag: 'tag',
  reason: 'reason',
  summary: 'summary',
  incidentReference: 'incident-reference',
  detectedAt: 'detected-at',
  replacementTag: 'replacement-tag',
}

/**
 * The checked request: from the inputs, or from the parsed `withdrawal-record` file. Both at
 * once is refused, since it would be unclear which one the signed record should say.
 */
export function resolveWithdrawalRequest(
  inputs: WithdrawalInputs,
  file: unknown,
  now: Date,
): WithdrawalRequest {
  if (file === undefined) return fromInputs(inputs, now)
  const given = REPLACED_BY_FILE.filter((name) => inputs[name].trim() !== '')
  if (given.length > 0) {
    throw new InputError(
      FILE_INPUT,
      `cannot be combined with ${given.map((n) => INPUT_NAMES[n]).join(', ')}: give the withdrawal either as inputs or as the file.`,
    )
  }
  const violations = validateWithdrawalInput(file)
  if (violations.length > 0) {
    throw new InputError(
      FILE_INPUT,
      `is not a valid withdrawal record (schemas/withdrawal.v1.json): ${formatViolations(violations)}`,
    )
  }
  const { $schema: _schema, ...doc } = file as WithdrawalRecordFile & { $schema?: string }
  return fromFile(doc, inputs.tag, now)
}

/** Reads and parses (YAML or JSON) the file the `withdrawal-record` input names, in the workspace. */
export async function readWithdrawalRecordFile(path: string, workspace: string): Promise<unknown> {
  const root = await realpath(workspace)
  let target: string
  try {
    target = await realpath(resolve(root, path))
  } catch {
    throw new InputError(FILE_INPUT, `${path} does not exist in the workspace.`)
  }
  const inside = relative(root, target)
  if (inside === '' || inside.startsWith('..') || !isInside(root, target)) {
    throw new InputError(FILE_INPUT, `${path} is outside the workspace.`)
  }
  const bytes = await readRegularFile(target, { input: FILE_INPUT, maxBytes: MAX_FILE_BYTES })
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    // The core schema: no YAML 1.1 extras; few aliases; duplicate keys are errors.
    return parse(text, { schema: 'core', maxAliasCount: 10, uniqueKeys: true }) as unknown
  } catch (error) {
    throw new InputError(FILE_INPUT, `${path} is not valid YAML or JSON: ${errorMessage(error)}`)
  }
}
