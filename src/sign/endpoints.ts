import { InputError } from '../util/errors.ts'
import type { SigstoreMode } from '../util/types.ts'
export type RepositoryVisibility = 'public' | 'private' | 'internal'

export interface SigstoreEndpointOptions {
  /** The `sigstore` input. */
  mode: string
  fulcioUrl?: string | undefined
  rekorUrl?: string | undefined
  tsaUrl?: string | undefined
  /** The repository's visibility, when known; decides `auto`. */
  visibility?: string | undefined
}

export interface SigstoreEndpoints {
  /** The instance actually used (`auto` resolved). */
  mode: Exclude<SigstoreMode, 'auto'>
  fulcioURL: string
  /** Transparency log; absent for GitHub's instance, which timestamps instead. */
  rekorURL?: string
  tsaURL?: string
}

export const PUBLIC_GOOD_ENDPOINTS: SigstoreEndpoints = {
  mode: 'public-good',
  fulcioURL: 'https://fulcio.sigstore.dev',
  rekorURL: 'https://rekor.sigstore.dev',
}

export const GITHUB_ENDPOINTS: SigstoreEndpoints = {
  mode: 'github',
  fulcioURL: 'https://fulcio.githubapp.com',
  tsaURL: 'https://timestamp.githubapp.com',
}

const MODES: readonly string[] = ['auto', 'public-good', 'github', 'custom']

/**
 * The parsed URL, never the raw input: the URL parser silently drops tabs and line breaks, so
 * the raw string could carry a second log line (`::add-mask::…`) past the check. Whitespace or
 * a control character inside the value is refused outright: no service URL holds one.
 */
function serviceURL(input: string, raw: string): string {
  const value = raw.trim()
  if (/[\s\p{Cc}]/u.test(value)) {
    throw new InputError(
      input,
      `${JSON.stringify(value)} holds a line break, space or control character; give one http(s) URL on one line`,
    )
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(input, `${JSON.stringify(value)} is not a URL; give an https:// URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `${JSON.stringify(value)} must be an http(s) URL`)
  }
  if (url.username || url.password) {
    throw new InputError(input, 'must not carry credentials; give the bare service URL')
  }
  return url.href.replace(/\/+$/, '')
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== ''
}

/**
 * Which Sigstore instance signs. `auto` publishes to the public-good transparency log only
 * for public repositories; anything else, including an unknown visibility, goes to GitHub's
 * private instance, so a private repository's names never land in a public log by mistake.
 */
export function resolveSigstoreEndpoints(options: SigstoreEndpointOptions): SigstoreEndpoints {
  const mode = options.mode.trim()
  if (!MODES.includes(mode)) {
    throw new InputError(
      'sigstore',
      `${JSON.stringify(options.mode)} is not one of ${MODES.join(', ')}`,
    )
  }
  const custom = {
    'fulcio-url': options.fulcioUrl,
    'rekor-url': options.rekorUrl,
    'tsa-url': options.tsaUrl,
  }
  if (mode !== 'custom') {
    for (const [input, value] of Object.entries(custom)) {
      if (present(value)) {
        throw new InputError(
          input,
          `is only used with 'sigstore: custom' (sigstore is '${mode}'); remove it or set sigstore to custom`,
        )
      }
    }
  }
  switch (mode) {
    case 'public-good':
      return { ...PUBLIC_GOOD_ENDPOINTS }
    case 'github':
      return { ...GITHUB_ENDPOINTS }
    case 'auto':
      return options.visibility === 'public'
        ? { ...PUBLIC_GOOD_ENDPOINTS }
        : { ...GITHUB_ENDPOINTS }
    default: {
      if (!present(options.fulcioUrl)) {
        throw new InputError('fulcio-url', "is required with 'sigstore: custom'")
      }
      if (!present(options.rekorUrl) && !present(options.tsaUrl)) {
        throw new InputError(
          'rekor-url',
          "'sigstore: custom' needs a transparency log (rekor-url), a timestamp authority (tsa-url), or both",
        )
      }
      return {
        mode: 'custom',
        fulcioURL: serviceURL('fulcio-url', options.fulcioUrl),
        ...(present(options.rekorUrl)
          ? { rekorURL: serviceURL('rekor-url', options.rekorUrl) }
          : {}),
        ...(present(options.tsaUrl) ? { tsaURL: serviceURL('tsa-url', options.tsaUrl) } : {}),
      }
    }
  }
}
