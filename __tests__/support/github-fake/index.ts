export { startGitHubFake } from './fake.ts'
export type {
  GitHubFake,
  GitHubFakeOptions,
  FaultPlan,
  FaultAction,
  RecordedRequest,
} from './types.ts'
export { createFakeClient } from './client.ts'
export type { FakeState, FakeCommitInput, StoredRelease, StoredAsset } from './state.ts'
export { OpenApiResponseValidator, type ResponseViolation } from './openapi-validator.ts'
