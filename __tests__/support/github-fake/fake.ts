import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { assetDownloads, assetRoutes } from './assets.ts'
import { attestationRoutes } from './attestations.ts'
import { commitRoutes } from './commits.ts'
import type { FakeContext } from './context.ts'
import { FaultBook } from './faults.ts'
import { sha1 } from './git.ts'
import { Mutex, notFound } from './http.ts'
import { immutableReleasesSettingRoutes } from './immutable-releases.ts'
import { sharedValidator, type ResponseViolation } from './openapi-validator.ts'
import { RequestPipeline } from './pipeline.ts'
import { refRoutes } from './refs.ts'
import { releaseRoutes } from './releases.ts'
import { assetJson } from './representations.ts'
import { repositoryRoutes } from './repository.ts'
import { Router } from './router.ts'
import { assetsOfRelease, createFakeState, type FakeState } from './state.ts'
import type { GitHubFake, GitHubFakeOptions, RecordedRequest } from './types.ts'

export type {
  FaultAction,
  FaultPlan,
  GitHubFake,
  GitHubFakeOptions,
  RecordedRequest,
} from './types.ts'

/** Every resource's routes, in matching order: specific templates before general ones. */
function buildRouter(fake: FakeContext): Router {
  const router = new Router((params) => {
    if (params[0] !== fake.owner || params[1] !== fake.repo) throw notFound()
  })
  repositoryRoutes(router, fake)
  immutableReleasesSettingRoutes(router, fake)
  commitRoutes(router, fake)
  refRoutes(router, fake)
  releaseRoutes(router, fake)
  assetRoutes(router, fake)
  attestationRoutes(router, fake)
  return router
}

async function listen(): Promise<{ server: Server; origin: string; sockets: Set<Socket> }> {
  const server = createServer()
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { server, origin, sockets }
}

/** Seeds a commit, deriving a unique SHA when the test gives none. */
function addCommit(state: FakeState, input: Parameters<GitHubFake['addCommit']>[0]): string {
  const sha =
    input.sha ??
    sha1(
      `commit\0${(input.parents ?? []).join(',')}\0${input.author.name}\0${input.author.date}\0${input.message}\0${randomUUID()}`,
    )
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`addCommit: ${sha} is not a 40-hex SHA`)
  state.commits.set(sha, {
    sha,
    message: input.message,
    author: { ...input.author },
    parents: [...(input.parents ?? [])],
  })
  return sha
}

/** Starts an in-process GitHub REST server holding one repository. */
export async function startGitHubFake(options: GitHubFakeOptions = {}): Promise<GitHubFake> {
  const token = options.token ?? `ghs_fake_${randomBytes(12).toString('hex')}`
  const owner = options.owner ?? 'octo-org'
  const repo = options.repo ?? 'widget'
  const storage = await mkdtemp(path.join(tmpdir(), 'github-fake-'))
  const state = createFakeState(owner, repo, options.repository)
  const { server, origin, sockets } = await listen()
  let nextId = 1000
  const fake: FakeContext = {
    state,
    options,
    owner,
    repo,
    token,
    origin,
    repoApi: `${origin}/repos/${owner}/${repo}`,
    htmlRepo: `${origin}/html/${owner}/${repo}`,
    storage,
    lock: new Mutex(),
    corruptedUploads: new Set(),
    newId: () => nextId++,
  }
  const authorised = (req: IncomingMessage): boolean => {
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')
    return match?.[1] === token
  }
  const faults = new FaultBook()
  const requests: RecordedRequest[] = []
  const violations: ResponseViolation[] = []
  const pipeline = new RequestPipeline({
    origin,
    router: buildRouter(fake),
    downloads: assetDownloads(fake, authorised),
    faults,
    lock: fake.lock,
    authorised,
    requests,
    violations,
    validator: options.validateResponses ? sharedValidator() : undefined,
  })
  server.on('request', pipeline.listener())

  return {
    url: origin,
    token,
    owner,
    repo,
    state,
    requests,
    violations,
    addCommit: (input) => addCommit(state, input),
    setRef(ref, sha) {
      state.refs.set(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`, sha)
    },
    setRepository(settings) {
      Object.assign(state.repository, settings)
    },
    injectFault: (plan) => faults.inject(plan),
    corruptUploadsOf(name) {
      fake.corruptedUploads.add(name)
    },
    assetsOf: (releaseId) => assetsOfRelease(state, releaseId).map((a) => assetJson(fake, a)),
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(storage, { recursive: true, force: true })
    },
  }
}
