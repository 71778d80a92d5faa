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
import autocannon from "autocannon";
import { flag } from "./_harness";
import { prepareBuild, PUBLIC_PAGES as PAGES, startProductionStack } from "./_production";

const TARGET_RATIO = 0.3;
const DIST = ".next-bench";
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

const restoreRepoFiles = prepareBuild(DIST, log);
let server: Awaited<ReturnType<typeof startProductionStack>> | undefined;
const pages: Record<string, Run & { ratio: number; html_kb: number }> = {};
const statics: Run[] = [];
try {
  server = await startProductionStack({ dist: DIST, tempPrefix: "village-pages-", log, nextArgs: ["--keepAliveTimeout", "75000"] });
  const { base } = server;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void server?.stop().finally(() => {
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
  await server?.stop();
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
