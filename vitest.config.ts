import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    // Two cores: each file that needs moto starts its own server, so keep files from starving each other.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Ink prints only its final frame when CI is set; screen tests need every frame.
    env: { CI: '', FORCE_COLOR: '0' },
  },
});
