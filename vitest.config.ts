import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start their own loopback servers; two cores are all a runner has.
    pool: 'forks',
    maxWorkers: 2,
  },
})
