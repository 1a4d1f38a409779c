import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // dist/ rebuilt first if a source is newer (test/setup/build.ts): the CLI tests run the built CLI. Every
    // temporary directory of the run under one, removed at its end (test/setup/tmp.ts).
    globalSetup: ['test/setup/build.ts', 'test/setup/tmp.ts'],
    // The compiled-model cache stays off unless a test turns it on in a directory of its own (never ~/.cache).
    env: { STRATA_CACHE: 'off' },
  },
});
