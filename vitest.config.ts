import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-env.ts'],
    // Two cores: each file that needs moto starts its own server, so keep files from starving each other.
    maxWorkers: 2,
    // Generous limits: the end-to-end tests wait for what the screen shows, not for a clock, and on a
    // loaded 2-core machine the longest of them take three to four times as long as on an idle one. A
    // hung test still fails, just later.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    env: { FORCE_COLOR: '0' },
  },
});
