// Issue 18: four defences rested on a single test each. A second test for each, through another
// path than the first, so that one mutation cannot slip past both:
// - the post-upload digest check (the first runs it where GitHub reports no digest and the
//   download is hashed; here GitHub's listed digest itself contradicts the file);
// - RFC 8785 serialisation (the first compares with the `canonicalize` library; here with the
//   RFC's own examples);
// - the e-mail guard on artifact names (the first uses a name a glob matched; here a name the
//   `subject-checksums` file lists);
// - extra-subject forgery is in surviving-mutations.test.ts, next to the other re-signed
//   statements.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalText } from '../../src/manifest/document.ts'
import { publishRelease, ReleaseFailedError } from '../../src/release/index.ts'
import type { ReleaseStore } from '../../src/release/index.ts'
import { canonicalJson } from '../../src/util/canonical-json.ts'
import { hashBytes } from '../../src/util/digest.ts'
import {
  expectFailed,
  expectNoSigstoreRequest,
  expectNoWriteRequest,
  inWorld,
  SLOW_MACHINE_TIMEOUT_MS,
} from '../action/helpers.ts'
import { startGitHubFake } from '../support/github-fake/index.ts'
import { RecordingReporter } from '../support/recording-reporter.ts'
import {
  fakeStore,
  leftovers,
  makeAssets,
  releaseRequest,
  seedHistory,
} from '../release/fixtures.ts'

describe('the post-upload check reads the digest GitHub lists', () => {
  it('a listed digest that contradicts the file fails the check step and leaves nothing behind', async () => {
    const fake = await startGitHubFake({ validateResponses: true })
    const ws = await makeAssets(3)
    try {
      seedHistory(fake)
      const store = fakeStore(fake)
      const victim = ws.assets[1]!
      let uploads = 0
      // Every upload answer is right; once the last one is in, GitHub's record of one asset
      // changes (replaced by someone else, or stored wrong): only the check's listing shows it.
      const tampering = new Proxy(store, {
        get(target, property, receiver) {
          if (property === 'upload') {
            return async (...args: Parameters<ReleaseStore['upload']>) => {
              const outcome = await target.upload(...args)
              if (++uploads === ws.assets.length) {
                for (const stored of fake.state.assets.values()) {
                  if (stored.asset.name === victim.name)
                    stored.asset.digest = `sha256:${'0'.repeat(64)}`
                }
              }
              return outcome
            }
          }
          const value = Reflect.get(target, property, receiver) as unknown
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      const error = await publishRelease(
        tampering,
        releaseRequest(ws),
        new RecordingReporter(),
      ).catch((e: unknown) => e)
      expect(uploads).toBe(ws.assets.length)
      expect(error).toBeInstanceOf(ReleaseFailedError)
      expect((error as ReleaseFailedError).step).toBe('check')
      expect((error as ReleaseFailedError).message).toContain(
        `asset "${victim.name}" has digest sha256:${'0'.repeat(64)}, expected sha256:${victim.sha256}`,
      )
      expect(leftovers(fake, 'v1.0.0')).toEqual({ releases: 0, assets: 0, tag: false })
      expect(fake.violations).toEqual([])
    } finally {
      await fake.close()
      await ws.cleanup()
    }
  })
})

describe('RFC 8785 serialisation, by the RFC’s own examples', () => {
  // RFC 8785 section 3.2.2 (input) and 3.2.3 (output).
  const SAMPLE_INPUT = String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`
  const SAMPLE_OUTPUT = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
  // RFC 8785 section 3.2.3: properties sorted by their UTF-16 code units.
  const SORTING_INPUT = String.raw`{
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  }`
  // JCS escapes only what JSON must: CR is written \r, U+0080 and the rest go as they are.
  const SORTING_OUTPUT =
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
    '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
  // RFC 8785 appendix B: IEEE 754 doubles and their serialisation.
  const NUMBERS: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [5e-324, '5e-324'],
    [-5e-324, '-5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'],
    [-9007199254740992, '-9007199254740992'],
    [295147905179352830000, '295147905179352830000'],
    [9.999999999999997e22, '9.999999999999997e+22'],
    [1e23, '1e+23'],
    [1.0000000000000001e21, '1.0000000000000001e+21'],
    [999999999999999700000, '999999999999999700000'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
  ]

  const serialisers: [string, (value: unknown) => string][] = [
    ['canonicalJson (records, statements)', (value) => canonicalJson(value).toString('utf8')],
    ['canonicalText (the manifest)', (value) => canonicalText(value)],
  ]

  for (const [name, serialise] of serialisers) {
    it(`${name}: the sample, the key order and the numbers`, () => {
      expect(serialise(JSON.parse(SAMPLE_INPUT))).toBe(SAMPLE_OUTPUT)
      expect(serialise(JSON.parse(SORTING_INPUT))).toBe(SORTING_OUTPUT)
      for (const [number, text] of NUMBERS) expect(serialise([number])).toBe(`[${text}]`)
      // And the hash of the sample is what any other RFC 8785 implementation gives.
      expect(hashBytes(Buffer.from(serialise(JSON.parse(SAMPLE_INPUT)), 'utf8'))).toBe(
        hashBytes(Buffer.from(SAMPLE_OUTPUT, 'utf8')),
      )
    })
  }
})

describe('the e-mail guard on an artifact name the checksums file lists', () => {
  it(
    'refuses it naming subject-checksums, with the address masked and nothing written',
    () =>
      inWorld(async (world) => {
        const name = 'report-jane.doe@example.com.txt'
        await world.write(`dist/${name}`, 'quarterly report\n')
        await writeFile(
          join(world.workspace, 'dist/SUMS.txt'),
          `${hashBytes(Buffer.from('quarterly report\n'))}  ${name}\n`,
        )
        const result = await world.run({
          tag: 'v1.0.0',
          'subject-path': '',
          'subject-checksums': 'dist/SUMS.txt',
        })
        const message = expectFailed(result)
        expect(message).toMatch(/^Input 'subject-checksums': personal data would enter/)
        expect(message).toMatch(/manifest\/subjects\/0\/name: e-mail address/)
        expect(`${result.stdout}${result.stderr}`).not.toContain('jane.doe')
        expectNoWriteRequest(world)
        expectNoSigstoreRequest(world)
      }),
    SLOW_MACHINE_TIMEOUT_MS,
  )
})
