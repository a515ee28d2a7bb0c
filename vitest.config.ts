import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'plugins/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Crypto tests and browser tests are CPU heavy; two cores here.
    pool: 'forks',
    setupFiles: ['reflect-metadata'],
  },
});
