// The SOURCE_DATE_EPOCH warning is about tarball dates: a release that packs no directory must
// not print it (issue 15), one that packs a directory without a date must.
import { describe, expect, it } from 'vitest'
import { SLOW_MACHINE_TIMEOUT_MS, expectSucceeded, inWorld } from './helpers.ts'

const WARNING = /SOURCE_DATE_EPOCH is not set/

describe('the SOURCE_DATE_EPOCH warning of the action', () => {
  it(
    'appears only when a directory is packed',
    async () => {
      await inWorld(async (world) => {
        await world.write('dist/app.bin', 'app\n')
        await world.write('site/index.html', '<p>hi</p>\n')
        // The workspace is not a git checkout, so only the variable could date a tarball.
        const noEpoch = { extraEnv: { SOURCE_DATE_EPOCH: undefined } }
        const files = await world.run({ tag: 'v1.0.0', 'subject-path': 'dist/*' }, noEpoch)
        expectSucceeded(files)
        expect(files.stdout).not.toMatch(WARNING)

        const packed = await world.run(
          { tag: 'v1.0.1', 'subject-path': 'site' },
          { ...noEpoch, runId: '2002' },
        )
        expectSucceeded(packed)
        expect(
          packed.annotations.some((a) => a.level === 'warning' && WARNING.test(a.message)),
        ).toBe(true)
      })
    },
    SLOW_MACHINE_TIMEOUT_MS,
  )
})
