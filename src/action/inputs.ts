// Not @actions/core: the entry reads inputs before it loads anything heavy (see workflow-io.ts).
import * as core from './workflow-io.ts'
import { InputError } from '../util/errors.ts'
import { booleanInput, input } from './input-reading.ts'

export type SigstoreMode = 'auto' | 'public-good' | 'github' | 'custom'
export type MakeLatest = 'true' | 'false' | 'legacy'

/** Every input of action.yml, read once and checked before anything else happens. */
export interface ActionInputs {
  /** The tag to release: the `tag` input, else the tag whose push started the run. */
  tag: string
  /** The tag whose push started the run (GITHUB_REF `refs/tags/<name>`, GITHUB_REF_TYPE `tag`). */
  pushedTag: string | undefined
  subjectPath: string
  subjectChecksums: string
  targetCommitish: string
  name: string
  body: string
  bodyPath: string
  prerelease: boolean
  makeLatest: MakeLatest
  changeRecord: string
  pseudonymizationKey: string
  pseudonymizationKeyId: string
  pseudonymizationDomain: string
  changeRecordPolicy: 'enforce' | 'warn'
  sigstore: SigstoreMode
  fulcioUrl: string
  rekorUrl: string
  tsaUrl: string
  githubToken: string
  pushToAttestations: boolean
  dryRun: boolean
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = input(name) || fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${value}'.`)
}

/**
 * The tag whose push started the run: the runner sets GITHUB_REF to `refs/tags/<name>` and
 * GITHUB_REF_TYPE to `tag` for it. Any other ref (a branch, a pull request) names no tag.
 */
function tagOfTriggeringRef(): string | undefined {
  const ref = process.env['GITHUB_REF'] ?? ''
  if (process.env['GITHUB_REF_TYPE'] !== 'tag' || !ref.startsWith('refs/tags/')) return undefined
  return ref.slice('refs/tags/'.length) || undefined
}

export function readInputs(): ActionInputs {
  // Secrets are masked before anything could print them, even in an error about another input.
  const githubToken = input('github-token')
  const pseudonymizationKey = core.getInput('pseudonymization-key')
  if (githubToken) core.setSecret(githubToken)
  if (pseudonymizationKey) core.setSecret(pseudonymizationKey)

  const pushedTag = tagOfTriggeringRef()
  const tag = input('tag') || pushedTag
  if (!tag)
    throw new InputError('tag', 'is required: set the tag of the release to create, e.g. v1.2.3.')

  const inputs: ActionInputs = {
    tag,
    pushedTag,
    subjectPath: core.getInput('subject-path'),
    subjectChecksums: input('subject-checksums'),
    targetCommitish: input('target-commitish'),
    name: input('name'),
    body: core.getInput('body'),
    bodyPath: input('body-path'),
    prerelease: booleanInput('prerelease', false),
    makeLatest: oneOf('make-latest', ['true', 'false', 'legacy'] as const, 'true'),
    changeRecord: input('change-record'),
    pseudonymizationKey,
    pseudonymizationKeyId: input('pseudonymization-key-id'),
    pseudonymizationDomain: input('pseudonymization-domain'),
    changeRecordPolicy: oneOf('change-record-policy', ['enforce', 'warn'] as const, 'enforce'),
    sigstore: oneOf('sigstore', ['auto', 'public-good', 'github', 'custom'] as const, 'auto'),
    fulcioUrl: input('fulcio-url'),
    rekorUrl: input('rekor-url'),
    tsaUrl: input('tsa-url'),
    githubToken,
    pushToAttestations: booleanInput('push-to-attestations', true),
    dryRun: booleanInput('dry-run', false),
  }
  if (inputs.body && inputs.bodyPath) {
    throw new InputError('body-path', 'cannot be combined with body: give the notes one way.')
  }
  if (!inputs.subjectPath.trim() && !inputs.subjectChecksums) {
    throw new InputError(
      'subject-path',
      'no artifacts given: set subject-path (glob patterns) and/or subject-checksums.',
    )
  }
  return inputs
}
