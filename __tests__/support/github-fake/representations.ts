import type { FakeContext } from './context.ts'
import {
  assetsOfRelease,
  type Release,
  type ReleaseAsset,
  type SimpleUser,
  type StoredAsset,
  type StoredRelease,
} from './state.ts'

/** API views shared by several resources: users, releases and their assets. */

export function user(
  fake: FakeContext,
  login: string,
  type: 'User' | 'Organization' | 'Bot' = 'User',
): SimpleUser {
  const slug = encodeURIComponent(login)
  const url = `${fake.origin}/users/${slug}`
  return {
    login,
    id: 1,
    node_id: 'MDQ6VXNlcjE=',
    avatar_url: `${fake.origin}/avatars/${slug}`,
    gravatar_id: '',
    url,
    html_url: `${fake.origin}/html/${slug}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  }
}

/** Who the action's token acts as: releases' author, assets' uploader. */
export function actor(fake: FakeContext): SimpleUser {
  return user(fake, 'github-actions[bot]', 'Bot')
}

/** The signature verification GitHub reports for the fake's (never signed) commits and tags. */
export function unsignedVerification(): {
  verified: false
  reason: 'unsigned'
  payload: null
  signature: null
  verified_at: null
} {
  return { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null }
}

/** Drafts are downloaded under `untagged-<id>`, published releases under their tag. */
export function downloadPath(fake: FakeContext, stored: StoredRelease, name: string): string {
  const segment = stored.release.draft ? `untagged-${stored.untaggedId}` : stored.release.tag_name
  return `/download/${fake.owner}/${fake.repo}/releases/download/${encodeURIComponent(segment)}/${encodeURIComponent(name)}`
}

export function releaseJson(fake: FakeContext, stored: StoredRelease): Release {
  const r = stored.release
  const html = r.draft
    ? `${fake.htmlRepo}/releases/tag/untagged-${stored.untaggedId}`
    : `${fake.htmlRepo}/releases/tag/${encodeURIComponent(r.tag_name)}`
  const assets = assetsOfRelease(fake.state, r.id).map((a) => assetJson(fake, a))
  const archive = (kind: 'tarball' | 'zipball'): string | null =>
    r.draft ? null : `${fake.repoApi}/${kind}/${encodeURIComponent(r.tag_name)}`
  return {
    ...r,
    html_url: html,
    tarball_url: archive('tarball'),
    zipball_url: archive('zipball'),
    immutable: stored.immutable,
    assets,
  }
}

export function assetJson(fake: FakeContext, stored: StoredAsset): ReleaseAsset {
  const release = fake.state.releases.get(stored.releaseId)
  const a = stored.asset
  return {
    ...a,
    browser_download_url: release
      ? `${fake.origin}${downloadPath(fake, release, a.name)}`
      : a.browser_download_url,
    digest: fake.options.assetDigests === 'null' ? null : a.digest,
  }
}
