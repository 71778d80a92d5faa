// The whole suite: vitest (unit + integration on real PostgreSQL), the production build, then
// Playwright in Debian chromium. Ends with one summary line over both runners.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const stepTimes = [];
const run = (step, command, args) => {
  const stepStarted = Date.now();
  const status = spawnSync(command, args, { stdio: "inherit", env }).status ?? 1;
  stepTimes.push(`${step} ${((Date.now() - stepStarted) / 1000).toFixed(0)} s`);
  return status;
};
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);

// Debian's chromium and the CJK fonts: installed with apt as root, or the one command to run is printed.
if (run("preflight", process.execPath, ["--import", "tsx", "scripts/test-preflight.ts"]) !== 0) process.exit(1);

rmSync("reports", { recursive: true, force: true });
mkdirSync("reports", { recursive: true });
const started = Date.now();

// The code's shape first: formatting and lint (Biome), import rules (dependency-cruiser), unused code (knip).
const lintStatus = ["lint:code", "lint:deps", "lint:unused"].map((script) => run(script, "npm", ["run", "--silent", script])).find((status) => status !== 0) ?? 0;
const typeStatus = run("tsc", "npx", ["tsc", "--noEmit"]);
const unitStatus = run("vitest", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=reports/unit.json"]);
const buildStatus = run("build", "npx", ["next", "build"]);
const e2eStatus = buildStatus === 0 ? run("playwright", "npx", ["playwright", "test"]) : 1;

const unit = readJson("reports/unit.json");
const e2e = readJson("reports/e2e.json");
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0);
const failed = (unit?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0);
const skipped = (unit?.numPendingTests ?? 0) + (unit?.numTodoTests ?? 0) + (e2e?.stats?.skipped ?? 0);
const problems = [];
if (unitStatus !== 0 && !unit?.numFailedTests) problems.push("vitest did not finish");
if (lintStatus !== 0) problems.push("lint failed");
if (typeStatus !== 0) problems.push("type check failed");
if (buildStatus !== 0) problems.push("next build failed");
if (buildStatus === 0 && e2eStatus !== 0 && !e2e?.stats?.unexpected) problems.push("playwright did not finish");
const failures = failed + problems.length;

// The names of what failed come last, so the tail of a CI log says which test to look at.
const firstLine = (text) =>
  String(text ?? "")
    .split("\n")
    .find((line) => line.trim()) ?? "";
const unitFailures = (unit?.testResults ?? []).flatMap((file) =>
  (file.assertionResults ?? [])
    .filter((test) => test.status === "failed")
    .map((test) => `vitest ${file.name.replace(`${process.cwd()}/`, "")} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`),
);
const e2eSpecs = (suite) => [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(e2eSpecs)];
const e2eFailures = (e2e?.suites ?? [])
  .flatMap(e2eSpecs)
  .filter((spec) => spec.tests?.some((test) => test.status === "unexpected"))
  .map((spec) => `playwright ${spec.file} > ${spec.title}`);
for (const line of [...unitFailures, ...e2eFailures].slice(0, 20)) console.log(`FAILED ${line.slice(0, 400)}`);

console.log(
  `\nunit ${unit?.numPassedTests ?? 0}/${unit?.numTotalTests ?? 0}, e2e ${e2e?.stats?.expected ?? 0} passed, ${((Date.now() - started) / 1000).toFixed(0)} s${problems.length ? `; ${problems.join("; ")}` : ""}`,
);
console.log(`steps: ${stepTimes.join(", ")}`);
console.log(`Tests: ${passed} passed, ${failures} failed, ${skipped} skipped`);
process.exit(lintStatus === 0 && typeStatus === 0 && unitStatus === 0 && buildStatus === 0 && e2eStatus === 0 && failures === 0 ? 0 : 1);
