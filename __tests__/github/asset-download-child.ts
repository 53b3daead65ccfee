// Run by asset-download.test.ts as `node --expose-gc`: downloads a followed, slowly served
// asset while forcing garbage collection every millisecond, and prints what arrived as JSON.
// A full collection between Octokit's answer and the first read of the body is what made a
// download come back as a 200 with no bytes.
import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { downloadAndHashAsset, downloadAssetToFile } from '../../src/github/index.ts'
import { startAssetServers } from './asset-servers.ts'

const forceGc = (globalThis as { gc?: () => void }).gc
if (!forceGc) throw new Error('run with --expose-gc')
const size = Number(process.argv[2])
const downloads = Number(process.argv[3])
const bytes = Buffer.alloc(size, 0x5a)
const servers = await startAssetServers(() => ({ bytes }))
const client = servers.client()
const gcTimer = setInterval(forceGc, 1)
const results: { via: string; size: number; sha256: string }[] = []
try {
  for (let i = 0; i < downloads; i++) {
    const hashed = await downloadAndHashAsset(client, { owner: 'o', repo: 'r', assetId: i })
    results.push({ via: 'hash', ...hashed })
    const path = join(tmpdir(), `asset-download-child-${process.pid}-${i}`)
    await downloadAssetToFile(client, { owner: 'o', repo: 'r', assetId: i }, path)
    const file = await readFile(path)
    await rm(path)
    results.push({
      via: 'file',
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    })
  }
} finally {
  clearInterval(gcTimer)
  await servers.close()
}
process.stdout.write(JSON.stringify(results))
