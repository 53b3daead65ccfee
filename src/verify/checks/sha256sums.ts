import { SHA256SUMS_FILE, readChecksumLines, sha256sumsOf } from '../../manifest/index.ts'
import type { Manifest } from '../../manifest/index.ts'
import { SHA256_HEX } from '../../util/digest.ts'
import type { Check } from '../types.ts'
import { verdict } from './verdict.ts'

/** What is wrong between SHA256SUMS and the manifest: bad lines, and names or digests that differ. */
export function sha256SumsProblems(manifest: Manifest, text: string): string[] {
  const problems: string[] = []
  const listed = new Map<string, string>()
  // The release writes lower-case SHA-256 only; a later listing of a name wins.
  for (const entry of readChecksumLines(text)) {
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
  // The signed manifest fixes every byte of SHA256SUMS, so other bytes (a line repeated, the
  // lines reordered, CRLF ends) were not released, even where each line agrees (issue 18's
  // verify fuzzer found a file of repeated lines reported as VERIFIED).
  if (problems.length === 0) {
    const expected = sha256sumsOf(manifest.subjects)
    if (text !== expected) {
      const written = text.split('\n')
      const line = expected.split('\n').findIndex((want, i) => written[i] !== want) + 1
      problems.push(
        `SHA256SUMS is not the file the release wrote for this manifest (it differs at line ${line || written.length})`,
      )
    }
  }
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
