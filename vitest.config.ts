// Test runner: every suite under test/, one fork per file so servers and browsers stay isolated.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Frozen clocks are per test; the network beyond loopback is never reached (see test/setup/no-network.ts).
    setupFiles: ['test/setup/no-network.ts'],
  },
});
