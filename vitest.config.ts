// Test files run in parallel (forks); each test bounds its own waits. The egress suite needs
// root and network namespaces and runs in the same pass: scripts/test.sh prepares the machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most files wait on sockets, timeouts and child processes rather than the CPU: three at a
    // time on a 2-core machine roughly halves the wall time, and every timing assertion in the
    // suite keeps a margin of a second or more for the load this adds.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
