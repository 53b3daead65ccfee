// The verify action's inputs, read and checked before anything heavy is loaded.
import { InputError } from '../util/errors.ts'

export interface VerifyActionInputs {
  /** Set for a published release (`release` input, or the triggering tag). */
  release?: { owner: string; repo: string; tag: string }
  /** A folder of downloaded assets (`path` input), verified offline. */
  path?: string
  repo: string
  tag?: string
  signerWorkflow?: string
  withdrawalSignerWorkflow?: string
  trustedRoot?: string
  allowWithdrawn: boolean
  token?: string
}

const RELEASE_REF = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)@(.+)$/

function parseRelease(value: string): { owner: string; repo: string; tag: string } {
  const match = RELEASE_REF.exec(value)
  if (!match) {
    throw new InputError('release', `expected OWNER/REPO@TAG (for example octo-org/app@v1.2.0).`)
  }
  return { owner: match[1] as string, repo: match[2] as string, tag: match[3] as string }
}

function parseBoolean(name: string, value: string): boolean {
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  throw new InputError(name, `must be true or false.`)
}

/**
 * `release` defaults to this repository and the tag of the triggering ref; `path` verifies a
 * folder instead (then `release`, if given, names the repository and tag it must be).
 */
export function readVerifyActionInputs(
  getInput: (name: string) => string,
  env: NodeJS.ProcessEnv,
): VerifyActionInputs {
  const given = getInput('release')
  const path = getInput('path') || undefined
  const ref = env['GITHUB_REF'] ?? ''
  const repository = env['GITHUB_REPOSITORY'] ?? ''
  const triggeringTag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined
  let release = given ? parseRelease(given) : undefined
  if (!release && !path) {
    if (!triggeringTag || !repository) {
      throw new InputError(
        'release',
        `is required here: the workflow was triggered by ${ref || 'no ref'}, not a tag. Give release: OWNER/REPO@TAG, or path: a folder of downloaded release assets.`,
      )
    }
    release = parseRelease(`${repository}@${triggeringTag}`)
  }
  const repo = release ? `${release.owner}/${release.repo}` : repository
  if (!repo) throw new InputError('release', 'names no repository, and GITHUB_REPOSITORY is unset.')
  const optional = (name: string) => getInput(name) || undefined
  return {
    // With a folder, the release names only what the folder must be.
    ...(release && !path ? { release } : {}),
    ...(path ? { path } : {}),
    repo,
    tag: release?.tag ?? (path ? triggeringTag : undefined),
    signerWorkflow: optional('signer-workflow'),
    withdrawalSignerWorkflow: optional('withdrawal-signer-workflow'),
    trustedRoot: optional('trusted-root'),
    allowWithdrawn: parseBoolean('allow-withdrawn', getInput('allow-withdrawn')),
    token: optional('github-token'),
  }
}
