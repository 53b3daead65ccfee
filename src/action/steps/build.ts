import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CHANGE_RECORD_FILE,
  applyChangeRecordPolicy,
  assertNoPersonalData,
  checkChangeRecordPolicy,
  describePolicyFindings,
  buildChangeRecord,
  describeFindings,
  knownPeople,
  scanForPersonalData,
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
import type { ChangeRecord } from '../../change-record/index.ts'
import type { BuiltManifest } from '../../manifest/index.ts'
import { refuseMissingSubjects, refuseNamesGitHubRenames } from '../../release/index.ts'
import { errorMessage } from '../../util/errors.ts'
import type { Reporter } from '../../util/reporter.ts'
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
    // Read (and warned about) only when a directory is packed: it dates tarball entries.
    sourceDateEpoch: () =>
      resolveSourceDateEpoch({
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
async function recordChange(step: Prepared, built: BuiltManifest, policy: ChangeRecordPolicy) {
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
      ...(step.pushedTag ? { pushedTag: step.pushedTag } : {}),
      commit: step.commit,
      manifestDigest: built.digest,
      previous,
      commits,
      pseudonymizer: step.pseudonymizer,
      ...(policy ? { policy } : {}),
      signing: {
        transparencyLog: Boolean(step.endpoints.rekorURL),
        ownerType: step.ownerType ?? 'unknown',
      },
    },
    reporter,
  )
  // Nothing permanent may carry plain personal data: check before anything is signed or uploaded.
  // The run's own people too: the triggering account and the approvers the file names.
  const people = knownPeople(
    [process.env['GITHUB_ACTOR'], process.env['GITHUB_TRIGGERING_ACTOR']],
    step.changeRecordInput,
  )
  const authors = commits?.authors ?? []
  assertNoPersonalData(record, guardedSubjectFields(built.manifest.subjects, inputs), {
    authors,
    people,
  })
  warnAboutReleaseText(step, { authors, people, publicNames: step.context.repository.split('/') })
  return record
}

/**
 * The release's name and notes are not signed and stay editable, so personal data there is a
 * warning (masked), not a refusal: it is public, but it can be taken back.
 */
function warnAboutReleaseText(
  step: Prepared,
  options: Parameters<typeof scanForPersonalData>[1],
): void {
  const findings = scanForPersonalData(
    [
      { path: 'name', value: step.inputs.name },
      { path: step.inputs.bodyPath ? 'body-path' : 'body', value: step.notes },
    ],
    options,
  )
  if (findings.length === 0) return
  step.reporter.warning(
    `The release name or notes hold personal data: ${describeFindings(findings)}. They are not signed and can be edited, but they are public: remove it from the input and edit the published release.`,
  )
}

/**
 * The data-protection rules of the change record (src/change-record/policy.ts), before any
 * hashing: refused under `change-record-policy: enforce`, warned about and recorded under `warn`.
 */
function checkPolicy(step: Prepared): ChangeRecordPolicy | undefined {
  if (!step.changeRecordInput) return undefined
  const findings = checkChangeRecordPolicy(step.changeRecordInput, {
    now: new Date(),
    actors: [process.env['GITHUB_ACTOR'] ?? '', process.env['GITHUB_TRIGGERING_ACTOR'] ?? ''],
  })
  const policy = applyChangeRecordPolicy(findings, step.inputs.changeRecordPolicy)
  if (policy) {
    step.reporter.warning(
      `The change record breaks ${findings.length} data-protection rule(s); releasing anyway because change-record-policy is warn, and the signed record lists them under policy: ${describePolicyFindings(findings)}`,
    )
  }
  return policy
}

type ChangeRecordPolicy = ReturnType<typeof applyChangeRecordPolicy>

/**
 * Holds what hashing reports (unsafe archive members with their link targets, packed folders)
 * until the personal-data guard has passed: those messages quote names the guard may be about to
 * refuse, and the guard's own error masks them.
 */
function holdMessages(reporter: Reporter): {
  reporter: Reporter
  release(): void
  withhold(): void
} {
  const held: (() => void)[] = []
  return {
    reporter: {
      info: (message) => held.push(() => reporter.info(message)),
      notice: (message, properties) => held.push(() => reporter.notice(message, properties)),
      warning: (message, properties) => held.push(() => reporter.warning(message, properties)),
    },
    release: () => held.splice(0).forEach((show) => show()),
    withhold: () => {
      const count = held.splice(0).length
      if (count > 0) {
        reporter.info(
          `${count} message(s) from hashing the artifacts are withheld: the release was refused, and they may quote what it was refused for.`,
        )
      }
    },
  }
}

/** Step 2: manifest, change record, the personal-data guard, and their files. */
export async function build(step: Prepared): Promise<Built> {
  const policy = checkPolicy(step)
  const held = holdMessages(step.reporter)
  const built = await hashSubjects({ ...step, reporter: held.reporter })
  let record: ChangeRecord
  try {
    record = await recordChange(step, built, policy)
  } catch (error) {
    held.withhold()
    throw error
  }
  held.release()
  // After the personal-data guard, which masks what it finds: this message quotes names whole.
  refuseNamesGitHubRenames(built.subjects, step.inputs.dryRun, step.reporter)
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
