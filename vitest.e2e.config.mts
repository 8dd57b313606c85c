import { defineConfig } from 'vitest/config'

// End-to-end tests: the built renderer in Debian's Chromium against `affect serve` (headless mode).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
