/**
 * `npm run bench -- fuzz [--runs 1000]`: the hostile-input suite (test/hostile) at full strength.
 * `npm test` runs it at 100 cases per target to stay inside CI's time; this runs every server
 * action and route method with 1,000 (fast-check), and prints one JSON line last.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ACTIONS, ROUTES } from "../test/hostile/targets";
import { flag } from "./_harness";

type VitestReport = { numTotalTests: number; numPassedTests: number; numFailedTests: number; testResults: { assertionResults: { fullName: string; status: string }[] }[] };

const runs = flag("runs", 1000);
const dir = mkdtempSync(path.join(tmpdir(), "village-fuzz-"));
const reportFile = path.join(dir, "report.json");
const started = performance.now();
const code = await new Promise<number>((resolve) => {
  const child = spawn("npx", ["vitest", "run", "test/hostile", "--reporter=dot", "--reporter=json", `--outputFile.json=${reportFile}`], {
    env: { ...process.env, FUZZ_RUNS: String(runs) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("close", (exit) => resolve(exit ?? 1));
});
const seconds = (performance.now() - started) / 1000;
const report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestReport;
rmSync(dir, { recursive: true, force: true });
const failed = report.testResults.flatMap((file) => file.assertionResults.filter((test) => test.status === "failed").map((test) => test.fullName));
console.log(
  JSON.stringify({
    bench: "fuzz",
    runs_per_target: runs,
    actions: Object.keys(ACTIONS).length,
    route_methods: Object.keys(ROUTES).length,
    tests: report.numTotalTests,
    passed: report.numPassedTests,
    failed: failed.length,
    failures: failed.slice(0, 10),
    seconds: Math.round(seconds),
    target_failed: 0,
    met: code === 0 && failed.length === 0,
  }),
);
process.exit(code === 0 && failed.length === 0 ? 0 : 1);
