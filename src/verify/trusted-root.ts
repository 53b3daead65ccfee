// The Sigstore trusted root verify checks signatures against: a file the user names, or the
// public-good root through TUF.
import { realpath } from 'node:fs/promises'
import { resolve } from 'node:path'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { getTrustedRoot, type TUFOptions } from '@sigstore/tuf'
import { InputError, errorMessage } from '../util/errors.ts'
import { readRegularFile } from '../util/read-user-file.ts'

// `+json;version=0.1` (sigstore-js, cosign) and `.v0.2+json` (newer clients).
const TRUSTED_ROOT_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\.v[0-9.]+)?\+json/

/** The public-good trusted root is some 10 KB; one a hundred times larger is not a root. */
const MAX_TRUSTED_ROOT_BYTES = 16 * 1024 * 1024

/**
 * The trusted root at `path`, checked to be one; without a path, the public-good root through
 * TUF (cached under ~/.sigstore by @sigstore/tuf; `tuf` points it elsewhere). `input` names
 * the flag or action input.
 */
export async function loadTrustedRoot(
  path: string | undefined,
  input = '--trusted-root',
  tuf?: TUFOptions,
): Promise<unknown> {
  if (!path) return TrustedRoot.toJSON(await publicGoodRoot(input, tuf))
  let root: unknown
  try {
    // A link is resolved on purpose; the read then refuses a FIFO, a device or a huge file.
    const bytes = await readRegularFile(await realpath(resolve(path)), {
      input,
      maxBytes: MAX_TRUSTED_ROOT_BYTES,
    })
    root = JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(input, `cannot read '${path}': ${errorMessage(error)}`)
  }
  // protobuf-specs reads any JSON as an empty root; a wrong file would then look like a
  // release that does not verify rather than the usage error it is.
  const fields = (root ?? {}) as { mediaType?: unknown; certificateAuthorities?: unknown }
  if (typeof fields.mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPE.test(fields.mediaType)) {
    throw new InputError(
      input,
      `'${path}' is not a Sigstore trusted root (a trusted_root.json whose mediaType is application/vnd.dev.sigstore.trustedroot+json).`,
    )
  }
  if (!Array.isArray(fields.certificateAuthorities) || fields.certificateAuthorities.length === 0) {
    throw new InputError(
      input,
      `'${path}' lists no certificate authority, so no signing certificate could verify.`,
    )
  }
  return root
}

/**
 * The public-good root from its TUF repository. Offline, @sigstore/tuf says only "error
 * refreshing TUF metadata"; the user needs to know what was being fetched and the way to
 * verify without it.
 */
async function publicGoodRoot(input: string, tuf: TUFOptions | undefined): Promise<TrustedRoot> {
  try {
    return await getTrustedRoot(tuf)
  } catch (error) {
    throw new Error(
      `cannot fetch the Sigstore public-good trusted root through TUF (${tuf?.mirrorURL ?? 'https://tuf-repo-cdn.sigstore.dev'}): ${errorMessage(error)}. Without network access, or for another Sigstore instance, give its trusted_root.json with ${input}.`,
      { cause: error },
    )
  }
}
