import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

/**
 * Checks the fake's responses against GitHub's published OpenAPI description (the subset written
 * by scripts/extract-openapi-subset.ts), so the fake cannot drift into answers GitHub never gives.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const SUBSET_URL = new URL('../openapi/github-subset.json', import.meta.url)

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv

/** OpenAPI 3.0 `nullable: true` → JSON Schema, since `nullable` beside `oneOf`/`$ref` is not ajv's. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (node === null || typeof node !== 'object') return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'discriminator') continue
    out[key] = toJsonSchema(value)
  }
  if (node.nullable === true) return { anyOf: [{ type: 'null' }, out] }
  return out
}

export interface ResponseViolation {
  method: string
  route: string
  status: number
  message: string
}

export class OpenApiResponseValidator {
  readonly specVersion: string
  private readonly spec: JsonObject
  private readonly ajv: Ajv
  private readonly compiled = new Map<string, ValidateFunction | null>()

  constructor() {
    const raw = JSON.parse(readFileSync(SUBSET_URL, 'utf8')) as JsonObject
    this.spec = toJsonSchema(raw) as JsonObject
    this.specVersion = String((raw.info as JsonObject).version)
    this.ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(this.ajv)
    this.ajv.addSchema(this.spec as object, 'gh')
  }

  /**
   * Returns what is wrong with a response, or undefined when it matches the description.
   * `route` is the OpenAPI path template, e.g. `/repos/{owner}/{repo}/git/refs`.
   */
  check(method: string, route: string, status: number, body: unknown): string | undefined {
    const paths = this.spec.paths as JsonObject
    const operation = (paths[route] as JsonObject | undefined)?.[method.toLowerCase()] as
      JsonObject | undefined
    if (!operation) return `${method} ${route} is not in the OpenAPI subset`
    const responses = operation.responses as JsonObject
    let response = responses[String(status)] as JsonObject | undefined
    let pointer: string | undefined
    if (response && typeof response.$ref === 'string') {
      const name = response.$ref.split('/').pop() as string
      response = ((this.spec.components as JsonObject).responses as JsonObject)[name] as JsonObject
    }
    if (!response) {
      // GitHub documents only some error statuses per operation; every error body is a basic-error.
      if (status >= 400) pointer = 'gh#/components/schemas/basic-error'
      else return `status ${status} is not documented for ${method} ${route}`
    } else {
      const content = response.content as JsonObject | undefined
      const media = content?.['application/json'] as JsonObject | undefined
      if (!media) {
        if (status < 300 && body !== undefined) {
          return `status ${status} of ${method} ${route} has no body in the description`
        }
        if (status >= 400) pointer = 'gh#/components/schemas/basic-error'
        else return undefined
      } else {
        const code = String(status)
        const statusKey = responses[code] as JsonObject
        pointer =
          typeof statusKey.$ref === 'string'
            ? `gh${statusKey.$ref}/content/application~1json/schema`
            : `gh#/paths/${route.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${code}/content/application~1json/schema`
      }
    }
    if (!pointer) return undefined
    let validate = this.compiled.get(pointer)
    if (validate === undefined) {
      validate = this.ajv.getSchema(pointer) ?? null
      this.compiled.set(pointer, validate)
    }
    if (!validate) return `no schema at ${pointer}`
    if (validate(body)) return undefined
    return this.ajv.errorsText(validate.errors, { dataVar: 'response' })
  }
}

let shared: OpenApiResponseValidator | undefined

/** One compiled validator per process: compiling the schemas is the slow part. */
export function sharedValidator(): OpenApiResponseValidator {
  shared ??= new OpenApiResponseValidator()
  return shared
}
