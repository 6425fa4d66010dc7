// Test files run in parallel (forks); each test bounds its own waits. The egress suite needs
// root and network namespaces and runs in the same pass: scripts/test.sh prepares the machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
