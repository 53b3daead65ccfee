import { createHash } from 'node:crypto'
import type { FakeCommit, FakeState } from './state.ts'

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

/** The commit an object SHA points at, through annotated tags (at most 10 deep). */
export function peel(state: FakeState, sha: string): string | undefined {
  let current = sha
  for (let depth = 0; depth < 10; depth++) {
    const tag = state.tagObjects.get(current)
    if (!tag) return state.commits.has(current) ? current : undefined
    current = tag.object.sha
  }
  return undefined
}

/** Resolves what `GET /commits/{ref}` accepts: a SHA (or prefix), branch, tag or full ref. */
export function resolveCommitish(state: FakeState, ref: string): FakeCommit | undefined {
  const candidates = [ref, `refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`]
  for (const name of candidates) {
    const target = state.refs.get(name)
    if (target) {
      const sha = peel(state, target)
      if (sha) return state.commits.get(sha)
    }
  }
  if (/^[0-9a-f]{7,40}$/.test(ref)) {
    const matches = [...state.commits.keys()].filter((sha) => sha.startsWith(ref))
    if (matches.length === 1) return state.commits.get(matches[0] as string)
  }
  return undefined
}

/** A commit and everything reachable from it through its parents. */
export function ancestors(state: FakeState, sha: string): Set<string> {
  const seen = new Set<string>()
  const stack = [sha]
  while (stack.length > 0) {
    const current = stack.pop() as string
    if (seen.has(current)) continue
    seen.add(current)
    for (const parent of state.commits.get(current)?.parents ?? []) stack.push(parent)
  }
  return seen
}

/** Whether moving a branch from `fromSha` to `toSha` keeps its history (tags are peeled). */
export function isFastForward(state: FakeState, fromSha: string, toSha: string): boolean {
  return ancestors(state, peel(state, toSha) ?? toSha).has(peel(state, fromSha) ?? fromSha)
}

/** What `git tag -a` (or `-s`) writes: the tagger and the message of an annotated tag. */
export interface PushedTagObject {
  message: string
  tagger: { name: string; email: string; date: string }
  /** Tag a tag object instead of the commit (`git tag -a outer inner`), peeled like git does. */
  targetTagSha?: string
}

/**
 * `git push origin <tag>`: writes the tag ref (and, for an annotated tag, its tag object with
 * the SHA git gives it) straight into the state, as a push does, without any REST request.
 * Returns the object the ref points at.
 */
export function pushTag(
  state: FakeState,
  push: { name: string; commitSha: string; annotated?: PushedTagObject },
): string {
  const { name, commitSha, annotated } = push
  if (!state.commits.has(commitSha)) throw new Error(`pushTag: no commit ${commitSha}`)
  let sha = commitSha
  if (annotated) {
    const object = annotated.targetTagSha ?? commitSha
    const type = annotated.targetTagSha ? 'tag' : 'commit'
    const { tagger, message } = annotated
    const text = `object ${object}\ntype ${type}\ntag ${name}\ntagger ${tagger.name} <${tagger.email}> ${tagger.date}\n\n${message}`
    sha = sha1(`tag ${text.length}\0${text}`)
    state.tagObjects.set(sha, { sha, tag: name, message, object: { sha: object, type }, tagger })
  }
  state.refs.set(`refs/tags/${name}`, sha)
  return sha
}
