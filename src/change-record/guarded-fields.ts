import type { ScannedField } from './personal-data-guard.ts'

/** The parts of a subject that end up in permanent documents (manifest, release assets). */
export interface GuardedSubject {
  name: string
  path: string
  archive?: { members: readonly { path: string }[] }
}

/** Which inputs chose the subjects, for naming the one to fix in a finding. */
export interface SubjectSources {
  subjectPath: string
  subjectChecksums: string
}

/**
 * Subject names, paths and archive member paths, which the personal-data guard scans next to
 * the record: they come from the files `subject-path` (or the checksums file) chose.
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
      fields.push({
        path: `manifest/subjects/${i}/archive/members/${j}/path`,
        value: member.path,
        input,
      })
    })
  })
  return fields
}
