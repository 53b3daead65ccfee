/** Reading a ref and the annotated tag object it points at, peeled to its commit as git does. */
import type { ExistingTag } from '../release/index.ts'
import type { GitHubClient } from './client.ts'
import { expectObject, statusOf } from './errors.ts'
import { reread } from './retry.ts'

/** How many tag objects deep a tag is peeled (git itself stops at far fewer in practice). */
const MAX_TAG_NESTING = 10

interface TagObjectData {
  message: string
  object: { sha: string; type: string }
  tagger?: { date?: string }
}

function readTagObject(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  sha: string,
): Promise<TagObjectData> {
  return reread(async () =>
    expectObject(
      (await client.rest.git.getTag({ ...repository, tag_sha: sha })).data,
      'GET tag object',
    ),
  )
}

/**
 * A ref (`tags/v1`, without `refs/`) and, when it points at an annotated tag object, that
 * object: its message, its tagger date and the commit it resolves to, through nested tag
 * objects. Undefined when the ref does not exist. The tagger's name and e-mail are not read out.
 */
export async function readRefWithTagObject(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  ref: string,
): Promise<ExistingTag | undefined> {
  let found: { object: { type: string; sha: string } }
  try {
    found = await reread(async () =>
      expectObject((await client.rest.git.getRef({ ...repository, ref })).data, 'GET ref'),
    )
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw error
  }
  const existing: ExistingTag = { objectType: found.object.type, objectSha: found.object.sha }
  if (found.object.type !== 'tag') return existing
  const outer = await readTagObject(client, repository, found.object.sha)
  let target = outer.object
  for (let depth = 0; target.type === 'tag' && depth < MAX_TAG_NESTING; depth++) {
    target = (await readTagObject(client, repository, target.sha)).object
  }
  existing.tagObject = {
    message: outer.message,
    targetSha: target.sha,
    ...(outer.tagger?.date ? { taggerDate: outer.tagger.date } : {}),
  }
  return existing
}

/** Where a tag points now: the object its ref names and the commit that resolves to. */
export interface TagResolution {
  objectSha: string
  commitSha: string
}

/** The tag's ref and commit now, or undefined when the repository has no such tag. */
export async function resolveTag(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  tag: string,
): Promise<TagResolution | undefined> {
  const found = await readRefWithTagObject(client, repository, `tags/${tag}`)
  if (!found) return undefined
  return { objectSha: found.objectSha, commitSha: found.tagObject?.targetSha ?? found.objectSha }
}
