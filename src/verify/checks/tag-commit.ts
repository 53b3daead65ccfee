// Issue 16: the release's tag must still resolve to the commit the provenance names. A tag
// that moved after the release (possible where no ruleset or immutable release locks it)
// makes `git checkout <tag>` give other sources than the ones that were built and signed.
import type { GitHubClient } from '../../github/index.ts'
import { resolveTag } from '../../github/index.ts'
import { errorMessage } from '../../util/errors.ts'
import type { Check, CheckResult, TagLookup, VerifyContext } from '../types.ts'
import { isObject, listAt, stringAt, valueAt } from './statement-shape.ts'
import { verdict } from './verdict.ts'

const CHECK = { id: 'tag-commit', title: 'Tag still points at the released commit' } as const

/** The tag lookup of `verify --release`: the repository's refs, through the API. */
export function gitHubTagLookup(
  client: GitHubClient,
  repository: { owner: string; repo: string },
): TagLookup {
  return {
    where: `${repository.owner}/${repository.repo} on GitHub`,
    resolve: (tag) => resolveTag(client, repository, tag),
  }
}

/** What the signed provenance says about the tag: its name, the commit, how it came about. */
function signedTag(statement: unknown): {
  tag?: string
  commit?: string
  pushedObjectSha?: string
} {
  const definition = valueAt(statement, 'predicate', 'buildDefinition')
  const release = valueAt(definition, 'internalParameters', 'release')
  const dependency = listAt(definition, 'resolvedDependencies')?.[0]
  const pushed = valueAt(release, 'pushedTag')
  return {
    tag: stringAt(release, 'tag'),
    commit: stringAt(dependency, 'digest', 'gitCommit'),
    pushedObjectSha: isObject(pushed) ? stringAt(pushed, 'objectSha') : undefined,
  }
}

async function checkTagCommit(ctx: VerifyContext): Promise<CheckResult> {
  const statement = ctx.provenance.verified?.statement
  if (statement === undefined) {
    return verdict(CHECK, ['the provenance does not verify, so it names no commit to compare'], [])
  }
  const { tag, commit, pushedObjectSha } = signedTag(statement)
  if (tag === undefined || commit === undefined) {
    return verdict(CHECK, ['the provenance names no release tag or no commit'], [])
  }
  const how = pushedObjectSha ? `pushed tag ${tag}` : `tag ${tag}`
  if (!ctx.tagLookup) {
    // A folder is checked offline: where the tag points now is a question for the repository.
    return verdict(
      CHECK,
      [],
      [
        `not looked up (offline): the provenance names ${how} at commit ${commit}`,
        `to check the tag on GitHub, verify with --release ${ctx.repo}@${tag}`,
      ],
    )
  }
  let now: Awaited<ReturnType<TagLookup['resolve']>>
  try {
    now = await ctx.tagLookup.resolve(tag)
  } catch (error) {
    return verdict(
      CHECK,
      [`tag ${tag} could not be looked up in ${ctx.tagLookup.where}: ${errorMessage(error)}`],
      [],
    )
  }
  if (!now) return verdict(CHECK, [`tag ${tag} no longer exists in ${ctx.tagLookup.where}`], [])
  if (now.commitSha !== commit) {
    return verdict(
      CHECK,
      [
        `tag ${tag} now resolves to commit ${now.commitSha}, but the provenance names ${commit}: the tag was moved after the release`,
      ],
      [],
    )
  }
  const passed = [`${how} resolves to commit ${commit} in ${ctx.tagLookup.where}`]
  if (pushedObjectSha && now.objectSha !== pushedObjectSha) {
    // Same commit, another tag object: the tag was re-created (re-signed, say) at the same place.
    passed.push(`its ref now names object ${now.objectSha}, not the pushed ${pushedObjectSha}`)
  }
  return verdict(CHECK, [], passed)
}

export const tagCommitCheck: Check = { ...CHECK, run: checkTagCommit }
