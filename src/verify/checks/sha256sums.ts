import { SHA256SUMS_FILE, readChecksumLines } from '../../manifest/index.ts'
import type { Manifest } from '../../manifest/index.ts'
import { SHA256_HEX } from '../../util/digest.ts'
import type { Check } from '../types.ts'
import { verdict } from './verdict.ts'

/** What is wrong between SHA256SUMS and the manifest: bad lines, and names or digests that differ. */
export function sha256SumsProblems(manifest: Manifest, text: string): string[] {
  const problems: string[] = []
  const listed = new Map<string, string>()
  // The release writes lower-case SHA-256 only; a later listing of a name wins.
  for (const entry of readChecksumLines(text, { nameMayHoldLineSeparators: false })) {
    if ('malformed' in entry || !SHA256_HEX.test(entry.hex)) {
      problems.push(`SHA256SUMS line ${entry.line} is malformed`)
    } else listed.set(entry.name, entry.hex)
  }
  for (const s of manifest.subjects) {
    const sum = listed.get(s.name)
    if (sum === undefined) problems.push(`SHA256SUMS does not list ${s.name}`)
    else if (sum !== s.digest.sha256)
      problems.push(`SHA256SUMS gives ${s.name} sha256 ${sum}, the manifest ${s.digest.sha256}`)
    listed.delete(s.name)
  }
  for (const name of listed.keys())
    problems.push(`SHA256SUMS lists ${name}, which the manifest does not`)
  return problems
}

/** 6. SHA256SUMS lists exactly the manifest's subjects with their digests. */
export const sha256SumsCheck: Check = {
  id: 'sha256sums',
  title: 'SHA256SUMS agrees with the manifest',
  run({ manifest, sha256sums, unreadable }) {
    const unread = unreadable.get(SHA256SUMS_FILE)
    if (unread) return verdict(sha256SumsCheck, [unread], [])
    if (sha256sums === undefined) {
      return verdict(sha256SumsCheck, ['SHA256SUMS is missing'], [])
    }
    return verdict(sha256SumsCheck, sha256SumsProblems(manifest, sha256sums), [
      `${manifest.subjects.length} line(s) agree`,
    ])
  },
}
