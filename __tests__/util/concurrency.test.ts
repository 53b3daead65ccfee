import { describe, expect, it } from 'vitest'
import { mapLimit } from '../../src/util/concurrency.ts'

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1))

describe('mapLimit', () => {
  it('keeps the order of the items and passes each index', async () => {
    const items = [30, 10, 20, 0]
    const results = await mapLimit(items, 2, async (item, index) => {
      await new Promise((resolve) => setTimeout(resolve, item))
      return `${index}:${item}`
    })
    expect(results).toEqual(['0:30', '1:10', '2:20', '3:0'])
  })

  it('never has more than `limit` tasks in flight', async () => {
    let running = 0
    let peak = 0
    await mapLimit([...Array(20).keys()], 3, async () => {
      running++
      peak = Math.max(peak, running)
      await tick()
      running--
    })
    expect(peak).toBe(3)
  })

  it('returns an empty list for no items', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([])
  })

  it('rethrows the first failure and starts no new work after it', async () => {
    const started: number[] = []
    const failure = new Error('item 2 is broken')
    const run = mapLimit([0, 1, 2, 3, 4, 5, 6, 7], 2, async (item) => {
      started.push(item)
      await tick()
      if (item === 2) throw failure
      if (item === 3) throw new Error('a later failure')
      return item
    })
    await expect(run).rejects.toBe(failure)
    await tick()
    await tick()
    expect(started).toEqual([0, 1, 2, 3])
  })
})
