import type { KnipConfig } from "knip";

// `npm run lint:unused`: files, exports and dependencies nothing uses. Next.js, vitest, Playwright,
// drizzle-kit, Hardhat and PostCSS entry points come from knip's plugins; the rest are listed here.
const config: KnipConfig = {
  // Named groups that share their members today (lib/orders/status.ts) are aliases on purpose.
  exclude: ["duplicates"],
  workspaces: {
    ".": {
      entry: [
        "app/**/actions.ts",
        "{proxy,instrumentation,next.config}.ts",
        "scripts/*.{ts,mjs}",
        // bench/run.ts loads a benchmark by name.
        "bench/*.ts",
        "e2e/**/*.spec.ts",
        "{vitest,playwright,drizzle}.config.ts",
      ],
      project: ["**/*.{ts,tsx,mjs,cjs,css}", "!packages/**"],
      // OpenZeppelin's Solidity sources are read by scripts/compile-contracts.ts through solc's import callback.
      ignoreDependencies: ["@openzeppelin/contracts"],
      // Debian's, asked by scripts/lib/test-preflight.ts whether chromium and the CJK fonts are installed.
      ignoreBinaries: ["dpkg-query", "fc-list"],
    },
    "packages/*": {
      entry: ["src/cli.ts"],
      project: ["src/**/*.ts"],
    },
  },
};

export default config;
