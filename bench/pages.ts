/**
 * The public pages of the production build (`next start` on a fresh demo stack) under concurrent
 * anonymous load (autocannon), each against a static file served by the same server in the same
 * run: runs alternate static, page, static, page, … and a page's ratio is its successful responses
 * per second over the mean of the static runs right before and after it. Prints one JSON line last.
 *
 *   npm run bench -- pages [--duration 10] [--connections 10] [--no-build] [--rendered]
 *
 * --rendered sends a session cookie (one no session matches): the page cache must not answer
 * it, so this measures the page rendered for the request, as a signed-in visitor gets it.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { makeTempDir } from "../scripts/lib/embedded-pg";
import { freePort } from "../scripts/lib/ports";
import { nextCommand } from "../scripts/lib/processes";
import { startStack, type Stack } from "../scripts/lib/stack";
import { flag } from "./_harness";

const TARGET_RATIO = 0.3;
const DIST = ".next-bench";
const PAGES: Record<string, string> = {
  home: "/",
  offering: "/offerings/nishimori-forest-token",
  project: "/projects/forest-thinning",
  transparency: "/transparency",
};
// Served from public/ by the same server (through the same proxy), about the size of the home page's HTML.
const STATIC = "/bench-static-baseline.txt";
const rendered = process.argv.includes("--rendered");
const HEADERS: Record<string, string> = { "accept-language": "ja", ...(rendered ? { cookie: "authjs.session-token=bench-matches-no-session" } : {}) };
const duration = flag("duration", 10);
const connections = flag("connections", 10);
const warmup = Math.max(1, Math.min(3, Math.round(duration / 3)));

// Children of the stack print to stdout; until the JSON line, everything but it goes to stderr.
const stdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
const log = (line: string) => process.stderr.write(`[pages] ${line}\n`);

// `next build` writes this build's folder into tsconfig.json and next-env.d.ts; the bench puts them back.
const REPO_FILES = ["tsconfig.json", "next-env.d.ts"];
const snapshot = new Map(REPO_FILES.map((file) => [file, existsSync(file) ? readFileSync(file, "utf8") : null]));

/** Puts back what a build for DIST wrote; again at the end, in case another bench's build put back a copy taken while ours ran. */
function restoreRepoFiles() {
  for (const [file, text] of snapshot) {
    const now = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (!now?.includes(`${DIST}/`) || text?.includes(`${DIST}/`)) continue;
    if (text === null) rmSync(file);
    else writeFileSync(file, text);
  }
}

function build() {
  const started = performance.now();
  log(`next build into ${DIST}…`);
  const [command, args] = nextCommand(["build"]);
  const result = spawnSync(command, args, { stdio: ["ignore", process.stderr, process.stderr], env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" } });
  restoreRepoFiles();
  if (result.status !== 0) throw new Error(`next build failed (${result.status ?? result.signal})`);
  log(`built in ${Math.round((performance.now() - started) / 1000)} s`);
}

type Run = { per_s: number; p99_ms: number; p50_ms: number; non2xx: number; errors: number };

async function load(url: string, seconds: number): Promise<Run> {
  const result = await autocannon({ url, connections, duration: seconds, headers: HEADERS });
  return {
    // Only 200s count: a page answering errors fast must not look fast.
    per_s: Math.round((result["2xx"] / result.duration) * 10) / 10,
    p99_ms: result.latency.p99,
    p50_ms: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

if (!process.argv.includes("--no-build")) build();
else if (!existsSync(path.join(DIST, "BUILD_ID"))) throw new Error(`--no-build, but there is no build in ${DIST}`);
else log(`--no-build: using the build of ${statSync(path.join(DIST, "BUILD_ID")).mtime.toISOString()} in ${DIST}`);

const dir = makeTempDir("village-pages-");
Object.assign(process.env, { PORTAL_MODE: "demo", DATA_DIR: dir });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let stack: Stack | undefined;
const pages: Record<string, Run & { ratio: number; html_kb: number }> = {};
const statics: Run[] = [];
try {
  stack = await startStack({
    embedded: { dir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("hex"), database: "village" },
    seed: true,
    stripeEmulator: { port: await freePort(), webhookSecret: `whsec_${randomBytes(24).toString("base64url")}` },
    devChainPort: 0,
    next: ["start", "--hostname", "127.0.0.1", "--port", String(port), "--keepAliveTimeout", "75000"],
    publicUrl: base,
    env: { ...process.env, NEXT_DIST_DIR: DIST, AUTH_SECRET: randomBytes(32).toString("base64url"), AUTH_URL: `http://localhost:${port}`, EMAIL_SERVER: "" },
    log,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void stack?.stop().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        restoreRepoFiles();
        process.exit(1);
      });
    });
  }
  const sizes: Record<string, number> = {};
  for (const [name, pathname] of Object.entries({ ...PAGES, static: STATIC })) {
    const response = await fetch(`${base}${pathname}`, { headers: HEADERS });
    if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}`);
    sizes[name] = Buffer.byteLength(await response.text());
    log(`${name} ${pathname}: 200, ${(sizes[name]! / 1024).toFixed(1)} KB; cache-control: ${response.headers.get("cache-control")}`);
    // Unmeasured load first: compiled routes, JIT and pools warm, as any visitor after the first finds them.
    await load(`${base}${pathname}`, warmup);
  }
  const measureStatic = async () => {
    const run = await load(`${base}${STATIC}`, duration);
    statics.push(run);
    log(`static: ${JSON.stringify(run)}`);
    return run;
  };
  let before = await measureStatic();
  for (const [name, pathname] of Object.entries(PAGES)) {
    const run = await load(`${base}${pathname}`, duration);
    const after = await measureStatic();
    const ratio = Math.round((run.per_s / ((before.per_s + after.per_s) / 2)) * 1000) / 1000;
    pages[name] = { ...run, ratio, html_kb: Math.round(sizes[name]! / 102.4) / 10 };
    log(`${name}: ${JSON.stringify(pages[name])}`);
    before = after;
  }
} finally {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  restoreRepoFiles();
}

const staticPerS = Math.round((statics.reduce((sum, run) => sum + run.per_s, 0) / statics.length) * 10) / 10;
process.stderr.write(`\n${"page".padEnd(14)}${"per_s".padStart(9)}${"p99_ms".padStart(9)}${"ratio".padStart(8)}${"non2xx".padStart(8)}\n`);
for (const [name, run] of Object.entries(pages)) {
  process.stderr.write(`${name.padEnd(14)}${String(run.per_s).padStart(9)}${String(run.p99_ms).padStart(9)}${String(run.ratio).padStart(8)}${String(run.non2xx + run.errors).padStart(8)}\n`);
}
process.stderr.write(`${"static".padEnd(14)}${String(staticPerS).padStart(9)}  (runs: ${statics.map((run) => run.per_s).join(", ")}; p99 ${statics.map((run) => run.p99_ms).join(", ")} ms)\n\n`);
const clean = Object.values(pages).every((run) => run.non2xx === 0 && run.errors === 0) && statics.every((run) => run.non2xx === 0 && run.errors === 0);
const met = clean && pages.home!.ratio >= TARGET_RATIO && pages.project!.ratio >= TARGET_RATIO;
const summary = Object.fromEntries(
  Object.entries(pages).map(([name, run]) => [name, { per_s: run.per_s, p99_ms: run.p99_ms, ratio: run.ratio, non2xx: run.non2xx + run.errors, html_kb: run.html_kb }]),
);
stdoutWrite(
  `${JSON.stringify({ bench: "pages", ...(rendered ? { rendered } : {}), duration_s: duration, connections, pages: summary, static_per_s: staticPerS, static_p99_ms: Math.max(...statics.map((run) => run.p99_ms)), target_ratio: TARGET_RATIO, met })}\n`,
);
process.exit(0);
