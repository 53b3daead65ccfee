import { join } from 'node:path'
import {
  CHANGE_RECORD_BUNDLE_FILE,
  buildChangeRecordStatement,
  changeRecordAnnotation,
} from '../../change-record/index.ts'
import {
  PROVENANCE_BUNDLE_FILE,
  buildProvenanceStatement,
  signStatement,
  workflowIdentityFromToken,
  writeBundle,
} from '../../sign/index.ts'
import type { Built, Signed } from './types.ts'

/**
 * Step 3: the provenance and the change record, signed before any write to the repository, so
 * a signing failure leaves it untouched. One token for both signatures; it also says which
 * (reusable) workflow is the builder.
 */
export async function sign(step: Built): Promise<Signed> {
  const { built, record, endpoints, reporter, context } = step
  const identityToken = await step.identity.getToken()
  const getIdentityToken = async () => identityToken
  const provenance = buildProvenanceStatement({
    manifest: built,
    context: { ...context, sha: step.commit },
    tag: step.inputs.tag,
    ...(step.pushedTag ? { pushedTag: step.pushedTag } : {}),
    annotations: changeRecordAnnotation(step.recordSha256),
    workflow: workflowIdentityFromToken(identityToken),
  })
  const provenanceBundle = await signStatement(provenance, {
    endpoints,
    getIdentityToken,
    reporter,
  })
  const recordBundle = await signStatement(buildChangeRecordStatement(record, built.digest), {
    endpoints,
    getIdentityToken,
    reporter,
  })
  const provenanceBundlePath = join(context.tempDir, PROVENANCE_BUNDLE_FILE)
  const changeRecordBundlePath = join(context.tempDir, CHANGE_RECORD_BUNDLE_FILE)
  await writeBundle(provenanceBundle, provenanceBundlePath)
  await writeBundle(recordBundle, changeRecordBundlePath)
  step.setOutput('provenance-bundle-path', provenanceBundlePath)
  step.setOutput('change-record-bundle-path', changeRecordBundlePath)
  return { ...step, provenanceBundle, provenanceBundlePath, changeRecordBundlePath }
}
