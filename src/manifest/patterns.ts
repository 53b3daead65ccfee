import path from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'
import { InputError } from '../util/errors.ts'
import type { Workspace, WorkspaceEntry } from './workspace.ts'

/** Splits the multi-line `subject-path` input: one pattern a line, `#` starts a comment line. */
export function parseSubjectPatterns(multiline: string): string[] {
  return multiline
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
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
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).trim())
  const includes = patterns.filter((p) => !p.startsWith('!'))
  const byPath = new Map<string, PatternMatch>()
  for (const pattern of includes) {
    const matches = await matchPattern(workspace, pattern, excludes)
    if (matches.length === 0) {
      throw new InputError(
        'subject-path',
        `pattern '${pattern}' matches no file in the workspace${excludes.length ? ' (after excludes)' : ''}; fix the pattern or remove it`,
      )
    }
    for (const match of matches) {
      if (!byPath.has(match.relativePath)) byPath.set(match.relativePath, match)
    }
  }
  return [...byPath.values()]
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
        await glob([workspace.relative(absolutePath)], {
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
  const found = await glob([pattern], {
    cwd: workspace.root,
    ignore: excludes,
    onlyFiles: false,
    expandDirectories: false,
    followSymbolicLinks: true,
  })
  const reachesInto = /(^|\/)\*\*\/?$/.test(pattern)
  const relatives = found.map((p) => p.replace(/\/$/, ''))
  const walkedThrough = new Set<string>()
  for (const relative of relatives) {
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
    relatives.map((relative) => workspace.absolute(relative)),
    'subject-path',
    (absolutePath) => `'${workspace.relative(absolutePath)}' (matched by '${pattern}')`,
  )
  return entries
    .filter((entry, index) => {
      if (entry.kind === 'file') return true
      return !reachesInto && !walkedThrough.has(relatives[index] as string)
    })
    .map((entry) => ({ ...entry, pattern }))
}
