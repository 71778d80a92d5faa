// The committed contracts/artifacts must match a fresh solc-js compile of contracts/*.sol.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

it("has contract artifacts up to date with the sources", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/compile-contracts.ts", "--check"], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.stderr + result.stdout).toContain("up to date");
  expect(result.status).toBe(0);
});
