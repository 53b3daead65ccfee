import type { Manifest } from '../../manifest/index.ts'
import { PROVENANCE_BUNDLE_FILE } from '../../sign/index.ts'
import type { Check } from '../types.ts'
import { checkSignerIdentity } from './identity.ts'
import { stringAt, valueAt } from './statement-shape.ts'
import { verdict } from './verdict.ts'

/** 3b. The provenance's tag and commit are the manifest's (and the one asked for). */
export function checkProvenanceSource(
  statement: unknown,
  manifest: Manifest,
  expectedTag: string | undefined,
): string[] {
  const problems: string[] = []
  const definition = valueAt(statement, 'predicate', 'buildDefinition')
  const tag = stringAt(definition, 'internalParameters', 'release', 'tag')
  const commit = stringAt(definition, 'resolvedDependencies', 0, 'digest', 'gitCommit')
  if (tag !== manifest.source.tag) {
    problems.push(
      `provenance tag ${tag ?? '(none)'} differs from the manifest's ${manifest.source.tag ?? '(none)'}`,
    )
  }
  if (expectedTag !== undefined && tag !== expectedTag) {
    problems.push(`provenance tag ${tag ?? '(none)'} is not the requested --tag ${expectedTag}`)
  }
  if (commit !== manifest.source.commit) {
    problems.push(
      `provenance commit ${commit ?? '(none)'} differs from the manifest's ${manifest.source.commit ?? '(none)'}`,
    )
  }
  return problems
}

/** 3. The provenance was signed by this repository's workflow, for the manifest's tag and commit. */
export const signerIdentityCheck: Check = {
  id: 'signer-identity',
  title: 'Signer is the expected workflow',
  run({ provenance, expectation, manifest, requestedTag }) {
    const verified = provenance.verified
    if (!verified || verified.statement === undefined) {
      return verdict(signerIdentityCheck, ['no verified signature to read the signer from'], [])
    }
    return verdict(
      signerIdentityCheck,
      [
        ...checkSignerIdentity(verified, expectation, PROVENANCE_BUNDLE_FILE),
        ...checkProvenanceSource(verified.statement, manifest, requestedTag),
      ],
      [
        `${verified.signer.buildSignerURI ?? verified.signer.subjectAlternativeName}`,
        `tag ${manifest.source.tag}, commit ${manifest.source.commit}`,
      ],
    )
  },
}
