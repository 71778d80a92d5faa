/**
 * `npm run bench -- NAME [--flag value ...]` runs bench/NAME.ts, which prints its figures as one
 * JSON line last. Adding a benchmark is adding a file. `npm run bench` with no name runs every
 * benchmark of ALL_RUNS, each in its own process, and rewrites bench/RESULTS.md.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { commit, renderResults, type BenchRun } from "./_results";

const here = path.dirname(fileURLToPath(import.meta.url));

// Next.js rewrites tsconfig.json when it builds or serves from another dist dir (pages, lighthouse
// and crash-restart do): it is put back as it was when the benchmark ends.
const tsconfigPath = path.join(here, "..", "tsconfig.json");
const tsconfig = readFileSync(tsconfigPath, "utf8");
process.on("exit", () => {
  if (readFileSync(tsconfigPath, "utf8") !== tsconfig) writeFileSync(tsconfigPath, tsconfig);
});
const available = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts" && !file.startsWith("_"))
  .map((file) => file.slice(0, -3));

/** What `npm run bench` with no name measures, in this order. */
const ALL_RUNS: { label: string; name: string; args?: string[] }[] = [
  { label: "sale-rush, 1,000 buyers", name: "sale-rush", args: ["--buyers", "1000"] },
  { label: "sale-rush, 5,000 buyers", name: "sale-rush", args: ["--buyers", "5000"] },
  { label: "settlement", name: "settlement" },
  { label: "allocation", name: "allocation" },
  { label: "coupon-run", name: "coupon-run" },
  { label: "pages", name: "pages" },
  { label: "lighthouse", name: "lighthouse" },
  // The reliability drills (issue 17): each holds when its line says "lost":0 and "double":0.
  { label: "drill: webhook-chaos", name: "webhook-chaos" },
  { label: "drill: worker-kill", name: "worker-kill" },
  { label: "drill: chain-outage", name: "chain-outage" },
  { label: "drill: db-restart", name: "db-restart" },
  { label: "drill: crash-restart", name: "crash-restart" },
  { label: "fuzz, 1,000 cases per target", name: "fuzz" },
];

function runOne(name: string, args: string[]): Promise<{ figures: Record<string, unknown> | null; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(here, "run.ts"), name, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      try {
        const figures = JSON.parse(last) as Record<string, unknown>;
        resolve(code === 0 ? { figures } : { figures, error: `exit code ${code}` });
      } catch {
        resolve({ figures: null, error: `exit code ${code}, last line: ${last.slice(0, 200)}` });
      }
    });
  });
}

async function runAll(): Promise<void> {
  const startedAt = new Date();
  // Read before RESULTS.md is first rewritten, which would count as an uncommitted change.
  const measuredAt = commit();
  const runs: BenchRun[] = [];
  for (const { label, name, args = [] } of ALL_RUNS) {
    process.stderr.write(`\n[bench] === ${label} ===\n`);
    const started = performance.now();
    const result = await runOne(name, args);
    runs.push({ label, command: `npm run bench -- ${[name, ...args].join(" ")}`, seconds: (performance.now() - started) / 1000, ...result });
    // Written after each benchmark, so a long run that is stopped keeps what it measured.
    writeFileSync(path.join(here, "RESULTS.md"), renderResults(runs, startedAt, measuredAt));
  }
  const failed = runs.filter((run) => !run.figures || run.error);
  console.log(JSON.stringify({ bench: "all", runs: runs.length, failed: failed.map((run) => run.label), met: runs.every((run) => run.figures?.met !== false && !run.error) }));
  process.exit(failed.length > 0 ? 1 : 0);
}

const name = process.argv[2];
if (name === undefined) {
  await runAll();
} else {
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(here, `${name}.ts`))) {
    console.error(`usage: npm run bench [-- NAME [options]]\navailable: ${available.join(", ")}`);
    process.exit(2);
  }
  process.argv.splice(2, 1);
  await import(`./${name}.ts`);
}
