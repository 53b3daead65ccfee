export {
  startGitHubFake,
  type GitHubFake,
  type GitHubFakeOptions,
  type FaultPlan,
  type FaultAction,
  type RecordedRequest,
} from './fake.ts'
export { createFakeClient } from './client.ts'
export type { FakeState, FakeCommitInput, StoredRelease, StoredAsset } from './state.ts'
export { OpenApiResponseValidator, type ResponseViolation } from './openapi-validator.ts'
