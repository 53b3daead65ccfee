import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { loadChangeRecordInput } from '../../src/change-record/index.ts'
import {
  MAX_ALIAS_COUNT,
  MAX_CHANGE_RECORD_BYTES,
  parseChangeRecordText,
} from '../../src/change-record/input.ts'
import { validateChangeRecordInput } from '../../src/change-record/schema.ts'
import {
  checkProperty,
  expectInputError,
  IsolatedChangeRecordParser,
  tempDir,
  type IsolatedOutcome,
} from './fuzz-support.ts'

const INPUT = 'change-record'
const FIXTURE = new URL('../change-record/fixtures/full.yaml', import.meta.url)

let fixtureText: string
let fixtureDoc: Record<string, unknown>
// Garbage costs the parser about 0.7 KB of heap per byte (one error object per token), so a
// file at the 256 KiB limit needs ~180 MB: linear, and bounded by the size limit. An expanding
// alias bomb would need gigabytes.
const isolated = new IsolatedChangeRecordParser({ heapMb: 256 })

beforeAll(async () => {
  fixtureText = await readFile(FIXTURE, 'utf8')
  fixtureDoc = parseYaml(fixtureText) as Record<string, unknown>
  expect(validateChangeRecordInput(fixtureDoc)).toEqual([])
})

afterAll(async () => {
  await isolated.close()
})

/** The only outcomes a hostile text may have in isolation: a value, or an InputError. */
function expectParsedOrRejected(outcome: IsolatedOutcome, text: string): void {
  const shown = JSON.stringify(text.slice(0, 120))
  if (outcome.status === 'returned') return
  if (outcome.status !== 'threw') {
    expect.fail(`parsing ${shown}… (${text.length} chars) ended with ${outcome.status}`)
  }
  expect(outcome, `parsing ${shown}…`).toMatchObject({ name: 'InputError', input: INPUT })
  expect(outcome.message.startsWith(`Input '${INPUT}': `)).toBe(true)
}

/** Loads `bytes` as a change-record file through the real entry point. */
async function load(bytes: string | Uint8Array): Promise<unknown> {
  const workspace = await tempDir('fuzz-cr-')
  await writeFile(path.join(workspace, 'record.yaml'), bytes)
  return loadChangeRecordInput('record.yaml', workspace).catch((error: unknown) => error)
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every JSON Pointer in `value`, parents before children, the root excluded. */
function pointers(value: Json, at = ''): string[] {
  if (value === null || typeof value !== 'object') return []
  const entries = Array.isArray(value)
    ? value.map((item, i) => [String(i), item] as const)
    : Object.entries(value)
  return entries.flatMap(([key, item]) => {
    const here = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    return [here, ...pointers(item, here)]
  })
}

function setAt(doc: Json, pointer: string, value: Json): Json {
  const copy = structuredClone(doc)
  const keys = pointer
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
  let parent = copy as Record<string, Json>
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, Json>
  parent[keys.at(-1) as string] = value
  return copy
}

function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0
  if (Array.isArray(value)) return value.map(withoutNegativeZero)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]))
  }
  return value
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

const valueOfEveryType: Record<string, fc.Arbitrary<Json>> = {
  null: fc.constant(null),
  boolean: fc.boolean(),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  string: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(100_000))),
  array: fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
}

describe('change-record fuzzing: a value or an InputError naming change-record', () => {
  it('any JSON document parses back to itself, or is refused as a whole', async () => {
    let roundTrips = 0
    let runs = 0
    await checkProperty(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.constantFrom('json', 'yaml-block', 'yaml-flow'),
        (value, style) => {
          runs++
          const text =
            style === 'json'
              ? JSON.stringify(value)
              : stringifyYaml(value, style === 'yaml-flow' ? { collectionStyle: 'flow' } : {})
          let parsed: unknown
          try {
            parsed = parseChangeRecordText(text)
          } catch (error) {
            expectInputError(error, INPUT)
            return
          }
          // YAML keeps -0, which JSON.stringify writes as 0; nothing else may differ.
          expect(withoutNegativeZero(parsed)).toEqual(JSON.parse(JSON.stringify(value)))
          roundTrips++
        },
      ),
      { numRuns: 300 },
    )
    // Refusal must stay the exception (over-long keys, __proto__), not the rule.
    expect(roundTrips).toBeGreaterThan(runs * 0.9)
  })

  it('a field of the wrong type is refused with its field path', async () => {
    const paths = pointers(fixtureDoc as Json).filter((p) => p !== '/$schema')
    const replacement = fc.constantFrom(...paths).chain((pointer) => {
      const original = jsonType(
        pointer
          .split('/')
          .slice(1)
          .reduce<unknown>(
            (node, key) =>
              (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')],
            fixtureDoc,
          ),
      )
      const others = Object.keys(valueOfEveryType).filter((type) => type !== original)
      return fc.tuple(
        fc.constant(pointer),
        fc.constantFrom(...others).chain((type) => valueOfEveryType[type] as fc.Arbitrary<Json>),
      )
    })
    await checkProperty(
      fc.asyncProperty(replacement, fc.boolean(), async ([pointer, value], asJson) => {
        const doc = setAt(fixtureDoc as Json, pointer, value)
        const error = await load(asJson ? JSON.stringify(doc) : stringifyYaml(doc))
        expectInputError(error, INPUT)
        expect(error.message).toContain('is not a valid change record')
        expect(error.message).toContain(`${pointer}`)
      }),
      { numRuns: 60, timeoutMs: 5_000 },
    )
  })

  it('random edits of a valid record give a valid record or an InputError', async () => {
    const specials = fc.constantFrom(
      ':',
      '-',
      '? ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '"',
      "'",
      '&a ',
      '*a',
      '!!js/function ',
      '!x ',
      '|',
      '>',
      '#',
      '%',
      '@',
      '`',
      '\t',
      '\n',
      '\r\n',
      '\r',
      '\u0000',
      '\u0085',
      '\u2028',
      '\ufeff',
      '---\n',
      '...\n',
      '<<: *a\n',
      'a: 1\n',
      '~',
      '.nan',
      '0x1F',
      '1e999',
      '__proto__: 1\n',
    )
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.oneof(specials, fc.string({ unit: 'binary', maxLength: 4 })),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 40 }),
      }),
      fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
    )
    let valid = 0
    await checkProperty(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        let text = fixtureText
        for (const change of edits) {
          const at = change.at % (text.length + 1)
          if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at)
          else if (change.kind === 'delete')
            text = text.slice(0, at) + text.slice(at + change.length)
          else {
            const start = text.lastIndexOf('\n', at - 1) + 1
            const end = text.indexOf('\n', at)
            const line = text.slice(start, end === -1 ? text.length : end + 1)
            text = text.slice(0, start) + line + text.slice(start)
          }
        }
        const result = await load(text)
        if (result instanceof Error) {
          expectInputError(result, INPUT)
          return
        }
        valid++
        expect(validateChangeRecordInput(result)).toEqual([])
      }),
      { numRuns: 60, timeoutMs: 5_000 },
    )
    expect(valid).toBeGreaterThan(0)
  })

  it('bytes that are not UTF-8 are refused as such; others parse or are refused', async () => {
    const fatal = new TextDecoder('utf-8', { fatal: true })
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, inserted]) => {
        const base = Buffer.from(fixtureText)
        const cut = at % (base.length + 1)
        return Buffer.concat([base.subarray(0, cut), inserted, base.subarray(cut)])
      }),
    )
    await checkProperty(
      fc.asyncProperty(bytes, async (data) => {
        const result = await load(data)
        let utf8 = true
        try {
          fatal.decode(data)
        } catch {
          utf8 = false
        }
        if (!utf8) {
          expectInputError(result, INPUT)
          expect(result.message).toMatch(/is not UTF-8 text/)
        } else if (result instanceof Error) {
          expectInputError(result, INPUT)
        }
      }),
      { numRuns: 120, timeoutMs: 5_000 },
    )
  })

  it('pairs with an empty key or value are plain data, then judged by the schema', async () => {
    // `?` alone once crashed the tag check with a TypeError (found by the UTF-8 property).
    for (const text of ['?', '? a', ': b', '{? : }', '[? ]']) {
      expect(() => parseChangeRecordText(text)).not.toThrow()
      const error = await load(text)
      expectInputError(error, INPUT)
      expect(error.message).toContain('is not a valid change record')
    }
  })

  it('only the YAML core tags are accepted', async () => {
    // '!' is the non-specific tag: it only says "not a plain scalar", so `! 1` is the string "1".
    const core = ['!', '!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq']
    const tag = fc.oneof(
      fc.constantFrom(
        ...core,
        '!!js/function',
        '!!js/undefined',
        '!!js/regexp',
        '!!python/object/apply:os.system',
        '!!binary',
        '!!set',
        '!!omap',
        '!!pairs',
        '!!timestamp',
        '!!merge',
        '!!value',
        '!!yaml',
        '!x',
        '!<tag:yaml.org,2002:js/function>',
        '!<tag:example.com:x>',
        '!!',
      ),
      fc.stringMatching(/^![a-z!/:.]{1,12}$/),
    )
    const value = fc.constantFrom('"() => 1"', '1', 'x', '[1]', '{a: 1}', 'true', '~', '2001-12-14')
    let accepted = 0
    await checkProperty(
      fc.property(tag, value, (tagName, scalar) => {
        const text = `a: ${tagName} ${scalar}\n`
        let parsed: unknown
        try {
          parsed = parseChangeRecordText(text)
        } catch (error) {
          expectInputError(error, INPUT)
          return
        }
        // Accepted only when the tag is a core one (spelled short or in full).
        expect(core.includes(tagName) || tagName.startsWith('!<tag:yaml.org,2002:')).toBe(true)
        expect(Object.keys(parsed as object)).toEqual(['a'])
        accepted++
      }),
      { numRuns: 200 },
    )
    // A parser refusing every tag would pass the property: each core tag must be accepted on a
    // value it fits, and the random runs must have met accepted ones.
    // (The non-specific `!` may be refused: the reader is stricter there than YAML's core schema.)
    const fitting: Record<string, string> = {
      '!!str': 'x',
      '!!int': '1',
      '!!float': '1.5',
      '!!bool': 'true',
      '!!null': '~',
      '!!map': '{b: 1}',
      '!!seq': '[1]',
    }
    for (const [tagName, fit] of Object.entries(fitting)) {
      const parsed = parseChangeRecordText(`a: ${tagName} ${fit}\n`)
      expect(Object.keys(parsed as object)).toEqual(['a'])
    }
    expect(accepted).toBeGreaterThanOrEqual(5)
  })

  it('a mapping with the same key twice, however it is spelled, is refused', async () => {
    const spellings: Record<string, string[]> = {
      a: ['a', '"a"', "'a'", '"\\x61"', '"\\u0061"', '!!str a'],
      b: ['b', '"b"', "'b'", '"\\x62"'],
      c: ['c', '"c"', "'c'"],
    }
    const key = fc
      .constantFrom(...Object.keys(spellings))
      .chain((k) => fc.tuple(fc.constant(k), fc.constantFrom(...(spellings[k] as string[]))))
    await checkProperty(
      fc.property(fc.array(key, { minLength: 1, maxLength: 5 }), fc.boolean(), (keys, flow) => {
        const pairs = keys.map(([, spelled], i) => `${spelled}: ${i}`)
        const text = flow ? `{${pairs.join(', ')}}` : pairs.join('\n') + '\n'
        const distinct = new Set(keys.map(([k]) => k)).size === keys.length
        let parsed: unknown
        try {
          parsed = parseChangeRecordText(text)
        } catch (error) {
          expectInputError(error, INPUT)
          expect(distinct, `${JSON.stringify(text)} was refused: ${String(error)}`).toBe(false)
          expect((error as Error).message).toMatch(/keys must be unique/i)
          return
        }
        expect(distinct, `${JSON.stringify(text)} was accepted as ${JSON.stringify(parsed)}`).toBe(
          true,
        )
        expect(Object.keys(parsed as object).sort()).toEqual(keys.map(([k]) => k).sort())
      }),
      { numRuns: 200 },
    )
  })
})

describe('change-record fuzzing: bombs stay bounded (isolated, 256 MB heap, deadline)', () => {
  it('alias bombs of any fan-out, depth and style are refused without expanding', async () => {
    const bomb = fc.record({
      fanOut: fc.integer({ min: 2, max: 30 }),
      depth: fc.integer({ min: 1, max: 25 }),
      flow: fc.boolean(),
      seed: fc.constantFrom(
        '"lol"',
        '[x, x, x, x, x, x, x, x]',
        '{a: 1, b: 2}',
        `"${'x'.repeat(4096)}"`,
      ),
      underKey: fc.boolean(),
    })
    await checkProperty(
      fc.asyncProperty(bomb, async ({ fanOut, depth, flow, seed, underKey }) => {
        const lines = [`l0: &l0 ${seed}`]
        for (let level = 1; level <= depth; level++) {
          const refs = Array.from({ length: fanOut }, () => `*l${level - 1}`)
          lines.push(
            flow
              ? `l${level}: &l${level} [${refs.join(', ')}]`
              : `l${level}: &l${level}\n${refs.map((r) => `  - ${r}`).join('\n')}`,
          )
        }
        const text = underKey
          ? `change:\n${lines.map((l) => `  ${l.replace(/\n/g, '\n  ')}`).join('\n')}\n`
          : lines.join('\n') + '\n'
        const started = performance.now()
        const outcome = await isolated.parse(text, 8_000)
        expectParsedOrRejected(outcome, text)
        const aliases = fanOut * depth
        if (aliases > MAX_ALIAS_COUNT) {
          expect(outcome.status).toBe('threw')
        }
        expect(performance.now() - started).toBeLessThan(8_000)
      }),
      { numRuns: 40, timeoutMs: 10_000 },
    )
  })

  it('repeated YAML syntax up to 32 KiB parses or is refused in linear time', async () => {
    const token = fc.constantFrom(
      '[',
      ']',
      '{',
      '}',
      '{a: ',
      '- ',
      '- [',
      '? ',
      ': ',
      '"',
      "'",
      '&a ',
      '*a ',
      '!!str ',
      '|\n',
      '>\n',
      ' ',
      '\n',
      '\t',
      '#',
      '%YAML 1.2\n',
      '---\n',
      '...\n',
      ',',
      'a:\n ',
      '  - a:\n',
      '\ufeff',
      '\\',
      'a: "\n',
      '<<: ',
    )
    const repeated = fc.record({
      unit: fc.array(token, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')),
      bytes: fc.integer({ min: 1_024, max: 32 * 1024 }),
    })
    await checkProperty(
      fc.asyncProperty(repeated, async ({ unit, bytes }) => {
        const text = unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))))
        expectParsedOrRejected(await isolated.parse(text, 8_000), text)
      }),
      { numRuns: 25, timeoutMs: 10_000 },
    )
  })

  it('the worst garbage at the size limit is refused within seconds, as is anything larger', async () => {
    // 256 KiB of '"' used to take minutes: every one of its 100,000 errors was prettified.
    for (const unit of ['"', ']']) {
      const text = unit.repeat(Math.floor(MAX_CHANGE_RECORD_BYTES / unit.length))
      const started = performance.now()
      const outcome = await isolated.parse(text, 15_000)
      expectParsedOrRejected(outcome, text)
      expect(outcome.status).toBe('threw')
      expect(performance.now() - started).toBeLessThan(15_000)
    }
    const oversized = `summary: "${'x'.repeat(MAX_CHANGE_RECORD_BYTES)}"\n`
    const outcome = await isolated.parse(oversized, 2_000)
    expect(outcome).toMatchObject({ status: 'threw', input: INPUT })
    expect((outcome as { message: string }).message).toMatch(/larger than 262144 bytes/)
  })
})
