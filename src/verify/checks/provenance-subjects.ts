import type { Manifest } from '../../manifest/index.ts'
import { MANIFEST_FILE } from '../../manifest/index.ts'
import { IN_TOTO_STATEMENT_V1, SLSA_PROVENANCE_V1 } from '../../sign/index.ts'
import type { Check } from '../types.ts'
import { listAt, shown, stringAt, valueAt } from './statement-shape.ts'
import { verdict } from './verdict.ts'

/** Each subject's signed sha256 by name; a nameless or repeated subject is a problem. */
function signedDigestsByName(
  statement: unknown,
  problems: string[],
): Map<string, string | undefined> {
  const byName = new Map<string, string | undefined>()
  const subjects = listAt(statement, 'subject')
  if (!subjects) {
    problems.push(`the statement's subject is ${shown(valueAt(statement, 'subject'))}, not a list`)
    return byName
  }
  for (const s of subjects) {
    const name = stringAt(s, 'name')
    if (name === undefined) {
      problems.push('a statement subject has no name')
      continue
    }
    if (byName.has(name)) problems.push(`the statement names ${name} twice`)
    byName.set(name, stringAt(s, 'digest', 'sha256'))
  }
  return byName
}

/** What is wrong between the signed statement's subjects and the manifest in the folder. */
export function provenanceSubjectProblems(
  statement: unknown,
  manifest: Manifest,
  manifestSha256: string,
): string[] {
  const problems: string[] = []
  const predicateType = stringAt(statement, 'predicateType')
  // Another statement of the same signer (the change record's, say) must not pass for provenance.
  if (
    stringAt(statement, '_type') !== IN_TOTO_STATEMENT_V1 ||
    predicateType !== SLSA_PROVENANCE_V1
  ) {
    problems.push(
      `the signed statement is a ${predicateType ?? '(no predicate type)'} statement, not ${SLSA_PROVENANCE_V1} provenance`,
    )
  }
  const byName = signedDigestsByName(statement, problems)
  const manifestSubject = byName.get(MANIFEST_FILE)
  if (manifestSubject === undefined)
    problems.push(`${MANIFEST_FILE} is not a subject of the statement`)
  else if (manifestSubject !== manifestSha256) {
    problems.push(
      `the statement signs ${MANIFEST_FILE} sha256 ${manifestSubject}, but the manifest in the folder is ${manifestSha256}`,
    )
  }
  byName.delete(MANIFEST_FILE)
  for (const s of manifest.subjects) {
    const signed = byName.get(s.name)
    if (signed === undefined)
      problems.push(`manifest subject ${s.name} is not in the signed statement`)
    else if (signed !== s.digest.sha256) {
      problems.push(
        `${s.name}: signed sha256 ${signed} differs from the manifest's ${s.digest.sha256}`,
      )
    }
    byName.delete(s.name)
  }
  for (const name of byName.keys())
    problems.push(`the statement signs ${name}, which the manifest does not list`)
  return problems
}

/** 4. The manifest is a subject, and the artifact subjects are exactly the manifest's. */
export const provenanceSubjectsCheck: Check = {
  id: 'provenance-subjects',
  title: 'Signed subjects match the manifest',
  run({ provenance, manifest, manifestSha256 }) {
    const statement = provenance.verified?.statement
    if (!provenance.verified || statement === undefined) {
      return verdict(provenanceSubjectsCheck, ['no verified statement'], [])
    }
    return verdict(
      provenanceSubjectsCheck,
      provenanceSubjectProblems(statement, manifest, manifestSha256),
      [`${MANIFEST_FILE} and ${manifest.subjects.length} artifact(s) signed`],
    )
  },
}
