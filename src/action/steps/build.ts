import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CHANGE_RECORD_FILE,
  assertNoPersonalData,
  buildChangeRecord,
  commitRange,
  findPreviousRelease,
  guardedSubjectFields,
  serializeChangeRecord,
} from '../../change-record/index.ts'
import {
  buildManifest,
  parseSubjectPatterns,
  resolveSourceDateEpoch,
  writeManifestFiles,
} from '../../manifest/index.ts'
import type { BuiltManifest } from '../../manifest/index.ts'
import { refuseMissingSubjects } from '../../release/index.ts'
import { errorMessage } from '../../util/errors.ts'
import type { Built, Prepared } from './types.ts'

type CommitRange = Awaited<ReturnType<typeof commitRange>>

/**
 * The commits since the previous release, for the record's chain and the personal-data guard.
 * A server that cannot compare the two (a rewritten history, an API without compare) costs
 * the record its commit range, not the release: the warning says what the guard then lacks.
 */
async function readCommitRange(step: Prepared, base: string): Promise<CommitRange | undefined> {
  const { client, owner, repo, commit: head } = step
  try {
    return await commitRange(client, { owner, repo, base, head })
  } catch (error) {
    step.reporter.warning(
      `Could not compare ${base}...${head} (${errorMessage(error)}): the change record has no commit range, and the personal-data guard does not know the commit authors' names. Check the record and artifact names by hand.`,
    )
    return undefined
  }
}

/** Hashes the subjects into the manifest; a release refuses artifacts it cannot upload. */
async function hashSubjects(step: Prepared): Promise<BuiltManifest> {
  const { inputs, context, commit, reporter } = step
  const built = await buildManifest({
    workspace: context.workspace,
    patterns: parseSubjectPatterns(inputs.subjectPath),
    checksumsFile: inputs.subjectChecksums || undefined,
    source: { repository: context.repository, commit, tag: inputs.tag },
    outDir: context.tempDir,
    sourceDateEpoch: await resolveSourceDateEpoch({
      env: process.env,
      workspace: context.workspace,
      commit,
      reporter,
    }),
    reporter,
  })
  refuseMissingSubjects(built.subjects, inputs.dryRun)
  return built
}

/** The change record, checked for plain personal data before anything is signed or uploaded. */
async function recordChange(step: Prepared, built: BuiltManifest) {
  const { inputs, context, reporter } = step
  const previous = await findPreviousRelease(step.client, {
    owner: step.owner,
    repo: step.repo,
    tag: inputs.tag,
  })
  const commits = previous ? await readCommitRange(step, previous.tag) : undefined
  if (commits && !commits.authorsComplete) {
    reporter.warning(
      `Only some of the ${commits.count} commits since ${previous?.tag} could be read, so the personal-data guard knows only their authors' names and e-mails. Check the change record and artifact names by hand.`,
    )
  }
  const record = buildChangeRecord(
    {
      input: step.changeRecordInput,
      run: context,
      tag: inputs.tag,
      commit: step.commit,
      manifestDigest: built.digest,
      previous,
      commits,
      triggeredBy: process.env['GITHUB_TRIGGERING_ACTOR'] || process.env['GITHUB_ACTOR'],
      pseudonymizer: step.pseudonymizer,
      signing: {
        transparencyLog: Boolean(step.endpoints.rekorURL),
        ownerType: step.ownerType ?? 'unknown',
      },
    },
    reporter,
  )
  // Nothing permanent may carry plain personal data: check before anything is signed or uploaded.
  assertNoPersonalData(record, guardedSubjectFields(built.manifest.subjects, inputs), {
    authors: commits?.authors ?? [],
  })
  return record
}

/** Step 2: manifest, change record, the personal-data guard, and their files. */
export async function build(step: Prepared): Promise<Built> {
  const built = await hashSubjects(step)
  const record = await recordChange(step, built)
  const serialized = serializeChangeRecord(record)
  const outDir = step.context.tempDir
  const { manifestPath, sha256sumsPath } = await writeManifestFiles(built, outDir)
  const changeRecordPath = join(outDir, CHANGE_RECORD_FILE)
  await writeFile(changeRecordPath, serialized.bytes)
  step.setOutput('manifest-digest', built.digest)
  step.setOutput('manifest-path', manifestPath)
  step.setOutput('change-record-path', changeRecordPath)
  return {
    ...step,
    built,
    record,
    recordBytes: serialized.bytes,
    recordSha256: serialized.sha256,
    manifestPath,
    sha256sumsPath,
    changeRecordPath,
  }
}
