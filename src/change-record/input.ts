import { realpath } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { LineCounter, parseAllDocuments, visit } from 'yaml'
import { InputError } from '../util/errors.ts'
import { isInside } from '../util/path.ts'
import { readRegularFile } from '../util/read-user-file.ts'
import { CHANGE_RECORD_SCHEMA_FILE, formatViolations, validateChangeRecordInput } from './schema.ts'
import type { ChangeRecordInput } from './types.ts'

const INPUT = 'change-record'

/** A change record is a page of text; anything larger is a mistake or an attack. */
export const MAX_CHANGE_RECORD_BYTES = 256 * 1024
/** Aliases a document may expand; YAML "billion laughs" documents need far more. */
export const MAX_ALIAS_COUNT = 50
const MAX_DEPTH = 32

/**
 * Reads, parses and validates the file named by the `change-record` input. Returns undefined
 * when no file is named. Every problem, with its field path, is reported in one InputError.
 */
export async function loadChangeRecordInput(
  path: string | undefined,
  workspace: string,
): Promise<ChangeRecordInput | undefined> {
  if (path === undefined || path.trim() === '') return undefined
  const text = await readConfined(path.trim(), workspace)
  const doc = parseChangeRecordText(text, path)
  const violations = validateChangeRecordInput(doc)
  if (violations.length > 0) {
    throw new InputError(
      INPUT,
      `${path} is not a valid change record (${CHANGE_RECORD_SCHEMA_FILE}): ${formatViolations(violations)}`,
    )
  }
  const { $schema: _schema, ...input } = doc as ChangeRecordInput & { $schema?: string }
  return input
}

async function readConfined(path: string, workspace: string): Promise<string> {
  const root = await realpath(workspace)
  let target: string
  try {
    target = await realpath(resolve(root, path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError(INPUT, `${path} does not exist in the workspace`)
    }
    throw error
  }
  // Stricter than isInside, as it always was: the root itself is no file, and a top-level name
  // starting with two dots (such as `..record.yml`) is refused too.
  const inside = relative(root, target)
  if (inside === '' || inside.startsWith('..') || !isInside(root, target)) {
    throw new InputError(
      INPUT,
      `${path} is outside the workspace; give a path inside the repository checkout`,
    )
  }
  const bytes = await readRegularFile(target, { input: INPUT, maxBytes: MAX_CHANGE_RECORD_BYTES })
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new InputError(INPUT, `${path} is not UTF-8 text`)
  }
}

/**
 * Parses YAML (JSON is YAML) into plain JSON data: the YAML 1.2 core schema without YAML 1.1
 * extras (!!binary, !!set, !!timestamp, merge keys), string keys only, duplicate keys and
 * unknown tags rejected, alias expansion bounded, and no NaN, Infinity or deep nesting.
 */
export function parseChangeRecordText(text: string, name = 'the change record'): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_CHANGE_RECORD_BYTES) {
    throw new InputError(INPUT, `${name} is larger than ${MAX_CHANGE_RECORD_BYTES} bytes`)
  }
  let docs: ReturnType<typeof parseAllDocuments>
  const lineCounter = new LineCounter()
  // The parser makes an Error per problem and a garbage file has one per byte; without stack
  // traces 256 KB of ']' takes a second instead of five. Parsing is synchronous, so nothing
  // else runs while the limit is lowered.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      version: '1.2',
      schema: 'core',
      resolveKnownTags: false,
      merge: false,
      stringKeys: true,
      uniqueKeys: true,
      strict: true,
      // Pretty errors quote the text around every error, which is quadratic in a garbage
      // file with 100,000 errors (minutes for 200 KB of '"'); only the shown ones get a position.
      prettyErrors: false,
      logLevel: 'silent',
    })
  } catch (error) {
    // The parser recurses on nesting; a pathological document can exhaust the stack.
    throw new InputError(INPUT, `${name} could not be parsed: ${(error as Error).message}`)
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  if (!Array.isArray(docs)) docs = [] // an empty stream
  const [doc, ...extra] = docs
  if (!doc || extra.length > 0) {
    throw new InputError(
      INPUT,
      `${name} must hold exactly one YAML document; it holds ${docs.length}`,
    )
  }
  const problems = [...doc.errors, ...doc.warnings]
  if (problems.length > 0) {
    const at = (offset: number): string => {
      const { line, col } = lineCounter.linePos(offset)
      return ` at line ${line}, column ${col}`
    }
    const shown =
      problems
        .slice(0, 5)
        .map((e) => e.message.split('\n')[0] + at(e.pos[0]))
        .join('; ') + (problems.length > 5 ? '; ...' : '')
    throw new InputError(INPUT, `${name} is not valid YAML or JSON: ${shown}`)
  }
  let tag = ''
  // A pair with an empty key or value (`?` alone) is visited with a null node.
  visit(doc, (_key, node) => {
    const nodeTag = (node as { tag?: string } | null)?.tag
    if (!tag && nodeTag?.startsWith('tag:yaml.org,2002:') === false) tag = nodeTag
  })
  if (tag) throw new InputError(INPUT, `${name} uses an unsupported YAML tag: ${tag}`)
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new InputError(
        INPUT,
        `${name} expands YAML aliases too much (more than ${MAX_ALIAS_COUNT}); write the values out`,
      )
    }
    throw new InputError(INPUT, `${name} could not be read: ${(error as Error).message}`)
  }
  assertPlainJson(value, '', 0, name)
  return value
}

function assertPlainJson(value: unknown, path: string, depth: number, name: string): void {
  const fail = (what: string): never => {
    throw new InputError(INPUT, `${name}: ${path || '/'} ${what}`)
  }
  if (depth > MAX_DEPTH) fail(`is nested more than ${MAX_DEPTH} levels deep`)
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('is not a finite number (.nan and .inf are not JSON)')
    return
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}/${i}`, depth + 1, name))
    return
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '__proto__') fail('has a __proto__ key')
      assertPlainJson(item, `${path}/${key}`, depth + 1, name)
    }
    return
  }
  fail(`holds a value JSON cannot represent (${typeof value})`)
}
