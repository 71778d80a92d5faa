import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // The real package throws outside React Server Components; tests run lib code directly.
      "server-only": fileURLToPath(new URL("./test/server-only.ts", import.meta.url)),
    },
  },
  test: {
    include: ["{lib,db,scripts,test,contracts}/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-db.ts"],
    pool: "forks",
    // Most test time waits on PostgreSQL and Hardhat, not the CPU: three files at once even on two cores.
    maxWorkers: Math.max(availableParallelism() - 1, 3),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
