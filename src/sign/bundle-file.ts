import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { SerializedBundle } from '@sigstore/bundle'

/**
 * Writes a bundle as JSON. The file appears complete or not at all (written beside the
 * target, then renamed), so a failed run never leaves a truncated bundle to be published.
 */
export async function writeBundle(bundle: SerializedBundle, file: string): Promise<string> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  )
  try {
    await writeFile(temporary, `${JSON.stringify(bundle, null, 2)}\n`, { flag: 'wx' })
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  return file
}
