/**
 * Writes `__tests__/support/openapi/github-subset.json`: the part of GitHub's published OpenAPI
 * description that the loopback GitHub fake serves, so tests can check every response the fake
 * sends against GitHub's own schemas without depending on the ~385 MB `@octokit/openapi` package.
 *
 * Usage (Node 24): node scripts/extract-openapi-subset.ts [openapi-version]
 *
 * The version defaults to the one `@octokit/openapi-types` was generated from, so the subset and
 * the TypeScript types the fake's state uses describe the same API.
 */
import { execFileSync } from 'node:child_process'
import {
  createReadStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import tar from 'tar-stream'

const SPEC_FILE = 'package/generated/api.github.com.json'

/** The operations the fake implements (OpenAPI path template → methods). */
export const SERVED_OPERATIONS: Record<string, string[]> = {
  '/repos/{owner}/{repo}': ['get'],
  '/repos/{owner}/{repo}/immutable-releases': ['get'],
  '/repos/{owner}/{repo}/commits/{ref}': ['get'],
  '/repos/{owner}/{repo}/compare/{basehead}': ['get'],
  '/repos/{owner}/{repo}/git/ref/{ref}': ['get'],
  '/repos/{owner}/{repo}/git/matching-refs/{ref}': ['get'],
  '/repos/{owner}/{repo}/git/refs': ['post'],
  '/repos/{owner}/{repo}/git/refs/{ref}': ['patch', 'delete'],
  '/repos/{owner}/{repo}/git/tags': ['post'],
  '/repos/{owner}/{repo}/git/tags/{tag_sha}': ['get'],
  '/repos/{owner}/{repo}/tags': ['get'],
  '/repos/{owner}/{repo}/releases': ['get', 'post'],
  '/repos/{owner}/{repo}/releases/latest': ['get'],
  '/repos/{owner}/{repo}/releases/tags/{tag}': ['get'],
  '/repos/{owner}/{repo}/releases/{release_id}': ['get', 'patch', 'delete'],
  '/repos/{owner}/{repo}/releases/{release_id}/assets': ['get', 'post'],
  '/repos/{owner}/{repo}/releases/assets/{asset_id}': ['get', 'delete'],
  '/repos/{owner}/{repo}/attestations': ['post'],
  '/repos/{owner}/{repo}/attestations/{subject_digest}': ['get'],
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

function defaultVersion(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const pkg = JSON.parse(
    readFileSync(path.join(here, '../node_modules/@octokit/openapi-types/package.json'), 'utf8'),
  ) as { octokit?: { 'openapi-version'?: string } }
  const version = pkg.octokit?.['openapi-version']
  if (!version) throw new Error('@octokit/openapi-types does not record its openapi-version')
  return version
}

/** Streams the tarball and keeps only the api.github.com description, never the whole package. */
async function readSpecFromTarball(tarball: string): Promise<JsonObject> {
  const extract = tar.extract()
  let text: string | undefined
  extract.on('entry', (header, stream, next) => {
    if (header.name !== SPEC_FILE) {
      stream.on('end', next)
      stream.resume()
      return
    }
    const chunks: Buffer[] = []
    stream.on('data', (chunk) => chunks.push(chunk as Buffer))
    stream.on('end', () => {
      text = Buffer.concat(chunks).toString('utf8')
      next()
    })
  })
  await pipeline(createReadStream(tarball), createGunzip(), extract)
  if (text === undefined) throw new Error(`${SPEC_FILE} not found in ${tarball}`)
  return JSON.parse(text) as JsonObject
}

function resolvePointer(root: JsonObject, pointer: string): Json {
  let node: Json = root
  for (const raw of pointer.replace(/^#\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) {
      throw new Error(`unresolvable $ref ${pointer}`)
    }
    node = node[key] as Json
  }
  return node
}

/** Drops documentation-only keys that make the subset large without changing validation. */
function stripDocs(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripDocs)
  if (node === null || typeof node !== 'object') return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'example' || key === 'x-github') continue
    out[key] = stripDocs(value)
  }
  return out
}

/** Collects every `#/components/...` pointer reachable from `node`. */
function collectRefs(spec: JsonObject, node: Json, seen: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(spec, item, seen)
    return
  }
  if (node === null || typeof node !== 'object') return
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      if (seen.has(value)) continue
      seen.add(value)
      collectRefs(spec, resolvePointer(spec, value), seen)
    } else {
      collectRefs(spec, value, seen)
    }
  }
}

export function extractSubset(spec: JsonObject, source: Record<string, string>): JsonObject {
  const paths: JsonObject = {}
  for (const [template, methods] of Object.entries(SERVED_OPERATIONS)) {
    const item = (spec.paths as JsonObject)[template] as JsonObject | undefined
    if (!item) throw new Error(`the description has no path ${template}`)
    const kept: JsonObject = {}
    for (const method of methods) {
      const operation = item[method] as JsonObject | undefined
      if (!operation) throw new Error(`the description has no ${method.toUpperCase()} ${template}`)
      kept[method] = stripDocs({
        operationId: operation.operationId ?? null,
        ...(operation.servers ? { servers: operation.servers } : {}),
        ...(operation.requestBody ? { requestBody: operation.requestBody } : {}),
        responses: operation.responses ?? {},
      })
    }
    paths[template] = kept
  }
  const refs = new Set<string>()
  collectRefs(spec, paths, refs)
  // basic-error describes the errors GitHub sends for statuses an operation does not document.
  refs.add('#/components/schemas/basic-error')
  refs.add('#/components/schemas/validation-error')
  for (const ref of [...refs]) collectRefs(spec, resolvePointer(spec, ref), refs)

  const components: JsonObject = {}
  for (const ref of [...refs].sort()) {
    const [, , section, name] = ref.split('/')
    if (ref.split('/').length !== 4 || !section || !name) {
      throw new Error(`unexpected $ref shape ${ref}`)
    }
    const bucket = (components[section] ??= {}) as JsonObject
    bucket[name.replace(/~1/g, '/').replace(/~0/g, '~')] = stripDocs(resolvePointer(spec, ref))
  }
  return {
    openapi: spec.openapi ?? '3.0.3',
    info: { title: 'GitHub REST API subset served by the loopback fake', ...source },
    paths,
    components,
  }
}

async function main(): Promise<void> {
  const version = process.argv[2] ?? defaultVersion()
  const packageSpec = `@octokit/openapi@${version}`
  const work = mkdtempSync(path.join(tmpdir(), 'openapi-subset-'))
  try {
    const packed = execFileSync(
      'npm',
      ['pack', packageSpec, '--pack-destination', work, '--json'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const [info] = JSON.parse(packed) as { filename: string; integrity: string }[]
    if (!info) throw new Error(`npm pack ${packageSpec} reported nothing`)
    const spec = await readSpecFromTarball(path.join(work, info.filename))
    const subset = extractSubset(spec, {
      version: String((spec.info as JsonObject | undefined)?.version ?? ''),
      'x-source-package': packageSpec,
      'x-source-file': 'generated/api.github.com.json',
      'x-source-integrity': info.integrity,
    })
    const out = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '../__tests__/support/openapi/github-subset.json',
    )
    mkdirSync(path.dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(subset, null, 2)}\n`)
    const count = Object.values(subset.components as JsonObject).reduce<number>(
      (n, section) => n + Object.keys(section as JsonObject).length,
      0,
    )
    console.log(`wrote ${out} from ${packageSpec} (${count} components)`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
