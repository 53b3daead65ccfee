import { writeJobSummary } from '../summary.ts'
import type { Built, Published } from './types.ts'

/** A dry run ends after `build`: it says what it checked and that nothing was written. */
export async function reportDryRun(step: Built): Promise<void> {
  const { inputs, built, record } = step
  const tag = step.pushedTag
    ? `the pushed tag ${inputs.tag} can be released as it is`
    : `tag ${inputs.tag} is free`
  step.reporter.notice(
    `Dry run: ${built.subjects.length} subjects, manifest ${built.digest}; ${tag}. Nothing was signed or written to GitHub.`,
  )
  await writeJobSummary({ inputs, built, record, dryRun: true })
}

/** Step 5: one notice naming what was released, and the job summary. */
export async function report(step: Published): Promise<void> {
  const { inputs, built, record, recordSha256, published, provenanceBundle } = step
  step.reporter.notice(
    `Released ${inputs.tag}: manifest ${built.digest}, change record ${record.change?.id ?? '(none)'} sha256:${recordSha256}`,
    { title: 'immutable-release' },
  )
  await writeJobSummary({
    inputs,
    built,
    record,
    recordSha256,
    published,
    provenanceBundle,
    dryRun: false,
  })
}
