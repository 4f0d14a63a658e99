import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Browser tests. The global setup builds the app once and writes the seeded demo
// database once; then each test file gets its own production server on its own
// copy of that database (setup-server.ts), so files do not depend on each other's
// leftovers and pass alone or in any order. Files still run one at a time: each
// drives its own chromium, and two at once would overload a small CI machine.
// two-servers.test.ts uses no browser: it starts two servers of its own on
// PostgreSQL (TEST_DATABASE_URL) and leaves its SQLite server unused.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("../../app", import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["./tests/e2e/global-setup.ts"],
    setupFiles: ["./tests/e2e/setup-server.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
