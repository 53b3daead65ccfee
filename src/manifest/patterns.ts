import fs, { type Dirent } from 'node:fs'
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { glob, isDynamicPattern, type GlobOptions } from 'tinyglobby'
import { InputError } from '../util/errors.ts'
import type { FolderListings, Workspace, WorkspaceEntry } from './workspace.ts'

/** Splits the multi-line `subject-path` input: one pattern a line, `#` starts a comment line. */
export function parseSubjectPatterns(multiline: string): string[] {
  return multiline
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/** Whether the patterns can match more than one file: several of them, or any wildcard. */
export function mayMatchSeveral(patterns: readonly string[]): boolean {
  const includes = patterns.filter((pattern) => !pattern.startsWith('!'))
  return includes.length !== 1 || includes.some((pattern) => isDynamicPattern(pattern))
}

export interface PatternMatch extends WorkspaceEntry {
  pattern: string
}

/**
 * Expands `subject-path` patterns in the workspace. `!pattern` lines exclude from every
 * pattern. A directory becomes one subject (a tarball) when the pattern names the directory
 * itself rather than reaching into it: `dist/linux` or `dist/*` do, `dist/**` does not.
 */
export async function resolveSubjectPatterns(
  workspace: Workspace,
  patterns: readonly string[],
): Promise<PatternMatch[]> {
  for (const pattern of patterns) checkPatternShape(pattern)
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).trim())
  const includes = patterns.filter((p) => !p.startsWith('!'))
  const matchesOf: PatternMatch[][] = []
  for (const pattern of includes) {
    const matches = await matchPattern(workspace, pattern, excludes)
    if (matches.length === 0) {
      throw new InputError(
        'subject-path',
        `pattern '${pattern}' matches no file in the workspace${excludes.length ? ' (after excludes)' : ''}; fix the pattern or remove it`,
      )
    }
    matchesOf.push(matches)
  }
  // One pattern's matches are distinct paths already (one walk): no map of 20,000 to build.
  if (matchesOf.length === 1) return matchesOf[0] as PatternMatch[]
  const byPath = new Map<string, PatternMatch>()
  for (const matches of matchesOf) {
    for (const match of matches) {
      if (!byPath.has(match.relativePath)) byPath.set(match.relativePath, match)
    }
  }
  return [...byPath.values()]
}

/** No path is longer than Linux's PATH_MAX, so no useful pattern is either. */
const MAX_PATTERN_LENGTH = 4096

/**
 * Folder levels a pattern may name, and the glob may walk, below the workspace. Each wildcard level
 * multiplies the walk by the folders it matches (and a symlink loop makes folders without
 * end), so an unbounded depth lets one short pattern walk for ever.
 */
const MAX_DEPTH = 64

/**
 * Refuses what the glob engine cannot take: a NUL makes Node's fs calls throw a TypeError,
 * and the regular expression compiled from a pattern of deeply nested braces or extglobs
 * (some 40 KB of `{a,{b,`) exhausts V8's regexp compiler, which aborts the whole process.
 */
function checkPatternShape(pattern: string): void {
  if (pattern.includes('\0')) {
    throw new InputError(
      'subject-path',
      `pattern ${JSON.stringify(pattern)} contains a NUL character, which no file name can hold; remove it`,
    )
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new InputError(
      'subject-path',
      `pattern '${pattern.slice(0, 60)}…' is ${pattern.length} characters long; patterns may have at most ${MAX_PATTERN_LENGTH}, the longest path Linux allows`,
    )
  }
  const levels = pattern.split('/').filter((segment) => segment !== '' && segment !== '.').length
  if (levels > MAX_DEPTH) {
    throw new InputError(
      'subject-path',
      `pattern '${pattern.slice(0, 60)}${pattern.length > 60 ? '…' : ''}' names ${levels} folder levels; patterns may have at most ${MAX_DEPTH}`,
    )
  }
}

type FileSystemAdapter = NonNullable<GlobOptions['fs']>

/** tinyglobby, with a pattern its matcher cannot compile (picomatch's regexp too large) refused. */
async function globOrRefuse(pattern: string, options: GlobOptions): Promise<string[]> {
  try {
    return await glob([pattern], options)
  } catch (error) {
    // Thrown by picomatch for the pattern itself, never by the file system.
    if (error instanceof SyntaxError || error instanceof RangeError || error instanceof TypeError) {
      throw new InputError(
        'subject-path',
        `pattern '${pattern.slice(0, 60)}${pattern.length > 60 ? '…' : ''}' cannot be matched: ${error.message.slice(0, 100)}; simplify it`,
        { cause: error },
      )
    }
    throw error
  }
}

/**
 * The fixed part of a pattern is where the walk starts, and the walk reads it as a folder
 * whatever it is: a link there that leaves the workspace (`links/root -> /`) would have the
 * whole file system walked.
 */
async function refuseBaseOutside(workspace: Workspace, pattern: string, base: string) {
  let real: string
  try {
    real = await realpath(path.resolve(workspace.root, base))
  } catch {
    return // Nothing there: the pattern matches no file, which the caller reports.
  }
  if (!workspace.isInside(real, workspace.realRoot)) {
    throw new InputError(
      'subject-path',
      `pattern '${pattern.slice(0, 60)}${pattern.length > 60 ? '…' : ''}' walks '${base}', a symbolic link that resolves outside the workspace (${real}); only files inside ${workspace.root} can be released`,
    )
  }
}

/**
 * Globs with directory links followed only while they stay inside the workspace. The glob
 * engine resolves a link before it knows whether the pattern needs its folder, so the check
 * sits where it reads a folder: a folder outside the workspace is never listed, and the first
 * attempt stops the walk and names the link (not some file far below it), in milliseconds.
 */
async function walkConfined(
  workspace: Workspace,
  pattern: string,
  excludes: string[],
): Promise<{ found: string[]; listings: FolderListings }> {
  const linkByTarget = new Map<string, string>()
  // What the walk read of each folder, so that typing the matches needs no second listing.
  const listings = new Map<string, readonly Dirent[]>()
  let refused: { link: string; target: string } | undefined
  const stop = new AbortController()
  const inside = (folder: string) =>
    workspace.isInside(folder) || workspace.isInside(folder, workspace.realRoot)
  const confinedFs: FileSystemAdapter = {
    ...fs,
    realpath: ((link: string, callback: (error: Error | null, resolved: string) => void) => {
      fs.realpath(link, (error, resolved) => {
        if (!error && !inside(resolved)) linkByTarget.set(resolved, link)
        callback(error, resolved)
      })
    }) as FileSystemAdapter['realpath'],
    readdir: ((folder: string, options: object, callback: (...args: unknown[]) => void) => {
      if (inside(folder)) {
        return fs.readdir(
          folder,
          options as never,
          ((error: Error | null, found: unknown) => {
            if (
              !error &&
              Array.isArray(found) &&
              (options as { withFileTypes?: boolean }).withFileTypes
            )
              listings.set(withoutTrailingSeparator(folder), found as Dirent[])
            callback(error, found)
          }) as never,
        )
      }
      const target = folder.length > 1 ? folder.replace(/\/$/, '') : folder
      const link = linkByTarget.get(target) ?? linkByTarget.get(folder) ?? target
      refused ??= { link: workspace.relative(link), target }
      stop.abort()
      callback(Object.assign(new Error('outside the workspace'), { code: 'EACCES' }), [])
    }) as FileSystemAdapter['readdir'],
  }
  const found = await globOrRefuse(pattern, {
    cwd: workspace.root,
    ignore: excludes,
    onlyFiles: false,
    expandDirectories: false,
    followSymbolicLinks: true,
    deep: MAX_DEPTH,
    fs: confinedFs,
    signal: stop.signal,
  }).catch((error: unknown) => {
    if (refused) return []
    throw error
  })
  if (refused) {
    throw new InputError(
      'subject-path',
      `'${refused.link}' is a symbolic link to a folder outside the workspace (${refused.target}), and pattern '${pattern.slice(0, 60)}${pattern.length > 60 ? '…' : ''}' would walk it; the walk never leaves the workspace: remove the link, or exclude it with '!${refused.link}'`,
    )
  }
  return { found, listings }
}

function withoutTrailingSeparator(folder: string): string {
  return folder.length > 1 && folder.endsWith(path.sep) ? folder.slice(0, -1) : folder
}

async function matchPattern(
  workspace: Workspace,
  pattern: string,
  excludes: string[],
): Promise<PatternMatch[]> {
  if (!isDynamicPattern(pattern)) {
    const absolutePath = path.resolve(workspace.root, pattern)
    const excluded =
      excludes.length > 0 &&
      (
        await globOrRefuse(workspace.relative(absolutePath), {
          cwd: workspace.root,
          ignore: excludes,
          onlyFiles: false,
          expandDirectories: false,
          dot: true,
        })
      ).length === 0
    if (excluded) return []
    const entry = await workspace.entry(absolutePath, 'subject-path', `'${pattern}'`)
    return [{ ...entry, pattern }]
  }
  // `dist//*` means `dist/*`; tinyglobby throws a TypeError on the empty segment.
  const globbed = pattern.replace(/\/{2,}/g, '/')
  // The part before the first wildcard is where the walk starts: one outside the workspace
  // (`/**/x`, `../**`) would walk folders the action must never release from, possibly the
  // whole file system, before confinement could refuse what it found.
  const segments = globbed.split('/')
  const firstWildcard = segments.findIndex((segment) => isDynamicPattern(segment))
  const base =
    segments.slice(0, firstWildcard < 0 ? undefined : firstWildcard).join('/') ||
    (globbed.startsWith('/') ? '/' : '.')
  if (!workspace.isInside(path.resolve(workspace.root, base))) {
    throw new InputError(
      'subject-path',
      `pattern '${pattern.slice(0, 60)}${pattern.length > 60 ? '…' : ''}' starts outside the workspace (${workspace.root}); patterns are relative to it and may not leave it`,
    )
  }
  await refuseBaseOutside(workspace, pattern, base)
  const { found, listings } = await walkConfined(workspace, globbed, excludes)
  const reachesInto = /(^|\/)\*\*\/?$/.test(globbed)
  const relatives = found.map((p) => (p.endsWith('/') ? p.slice(0, -1) : p))
  const walkedThrough = new Set<string>()
  // A folder's files come one after another: its ancestors are added once, not looked up
  // again (a slice and a set lookup) for each of its files.
  let lastFolder: string | undefined
  for (const relative of relatives) {
    const lastSlash = relative.lastIndexOf('/')
    if (
      lastFolder !== undefined &&
      lastSlash === lastFolder.length &&
      relative.startsWith(lastFolder)
    )
      continue
    lastFolder = lastSlash > 0 ? relative.slice(0, lastSlash) : undefined
    for (
      let slash = relative.lastIndexOf('/');
      slash > 0;
      slash = relative.lastIndexOf('/', slash - 1)
    ) {
      const ancestor = relative.slice(0, slash)
      if (walkedThrough.has(ancestor)) break
      walkedThrough.add(ancestor)
    }
  }
  const entries = await workspace.entries(
    relatives,
    'subject-path',
    (absolutePath) => `'${workspace.relative(absolutePath)}' (matched by '${pattern}')`,
    listings,
  )
  // The entries are this call's own: each takes its pattern in place, not as a copy per file.
  const matches: PatternMatch[] = []
  entries.forEach((entry, index) => {
    if (entry.kind !== 'file' && (reachesInto || walkedThrough.has(relatives[index] as string)))
      return
    const match = entry as PatternMatch
    match.pattern = pattern
    matches.push(match)
  })
  return matches
}
