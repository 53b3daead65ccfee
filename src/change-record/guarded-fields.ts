import type { ScannedField } from './personal-data-guard.ts'

/** The parts of a subject that end up in permanent documents (manifest, release assets). */
export interface GuardedSubject {
  name: string
  path: string
  archive?: {
    members: readonly { path: string; linkTarget?: string }[]
    flags?: readonly { path: string; reason: string }[]
  }
}

/** Which inputs chose the subjects, for naming the one to fix in a finding. */
export interface SubjectSources {
  subjectPath: string
  subjectChecksums: string
}

/**
 * Subject names, paths, archive member paths and link targets, and the reasons a member is
 * flagged (they quote link targets), which the personal-data guard scans next to the record:
 * they come from the files `subject-path` (or the checksums file) chose, and every one of them
 * is written into the signed manifest.
 */
export function guardedSubjectFields(
  subjects: readonly GuardedSubject[],
  sources: SubjectSources,
): ScannedField[] {
  const input = [
    ...(sources.subjectPath.trim() ? ['subject-path'] : []),
    ...(sources.subjectChecksums ? ['subject-checksums'] : []),
  ].join(', ')
  const fields: ScannedField[] = []
  subjects.forEach((subject, i) => {
    fields.push({ path: `manifest/subjects/${i}/name`, value: subject.name, input })
    fields.push({ path: `manifest/subjects/${i}/path`, value: subject.path, input })
    subject.archive?.members.forEach((member, j) => {
      const at = `manifest/subjects/${i}/archive/members/${j}`
      fields.push({ path: `${at}/path`, value: member.path, input })
      if (member.linkTarget !== undefined) {
        fields.push({ path: `${at}/linkTarget`, value: member.linkTarget, input })
      }
    })
    subject.archive?.flags?.forEach((flag, j) => {
      const at = `manifest/subjects/${i}/archive/flags/${j}`
      fields.push({ path: `${at}/path`, value: flag.path, input })
      fields.push({ path: `${at}/reason`, value: flag.reason, input })
    })
  })
  return fields
}
