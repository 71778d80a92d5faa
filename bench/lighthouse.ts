/**
 * Lighthouse (12.2.3, its own mobile and desktop presets and throttling) on the public pages of the
 * production build, served by `next start` on a fresh demo stack, plus each page's first-load
 * JavaScript (gzip size of the script files its HTML references). Each page/preset runs --runs
 * times; the run with the median performance score is reported, with every run's score and
 * Lighthouse's CPU benchmark index (low when the machine is busy). One run of this bench at a time
 * (a lock). Prints one JSON line last.
 *
 *   npm run bench -- lighthouse [--runs 3] [--no-build] [--preset mobile|desktop] [--page home] [--save DIR]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { holdLock, launchChromium, type LighthouseRun, medianRun, type Preset, runLighthouse } from "./_browser";
import { flag } from "./_harness";
import { prepareBuild, PUBLIC_PAGES as PAGES, startProductionStack } from "./_production";

const TARGETS = { performance: 95, accessibility: 100, best_practices: 95 };
const DIST = ".next-lighthouse";
const root = process.cwd();
// Children of the stack print to stdout; until the JSON line, everything but it goes to stderr.
const stdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
const log = (line: string) => process.stderr.write(`[lighthouse] ${line}\n`);
const option = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

const runs = flag("runs", 3);
const presets: Preset[] = option("preset") ? [option("preset") as Preset] : ["mobile", "desktop"];
const pages = option("page") ? { [option("page")!]: PAGES[option("page")!]! } : PAGES;
const saveDir = option("save");
if (presets.some((preset) => preset !== "mobile" && preset !== "desktop")) throw new Error("--preset must be mobile or desktop");
if (Object.values(pages).some((page) => !page)) throw new Error(`--page must be one of ${Object.keys(PAGES).join(", ")}`);

/** The script files a page's HTML references (modern browsers), and their gzip size as the build wrote them. */
async function firstLoadJs(url: string) {
  const html = await (await fetch(url)).text();
  // nomodule scripts (Next's polyfills) are skipped by every browser that runs modules.
  const tags = [...html.matchAll(/<script\s[^>]*>/g)].map((match) => match[0]).filter((tag) => !/\snomodule/i.test(tag));
  const sources = new Set(tags.flatMap((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1] ?? []));
  let bytes = 0;
  for (const source of sources) {
    const pathname = new URL(source, url).pathname;
    if (!pathname.startsWith("/_next/static/")) throw new Error(`${url} loads a script from outside the build: ${source}`);
    bytes += gzipSync(readFileSync(path.join(root, DIST, "static", decodeURIComponent(pathname.slice("/_next/static/".length))))).length;
  }
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, match) => sum + Buffer.byteLength(match[1]!), 0);
  return { first_load_js_kb: Math.round(bytes / 102.4) / 10, scripts: sources.size, inline_script_kb: Math.round(inline / 102.4) / 10 };
}

await holdLock(path.join(root, DIST), log);
prepareBuild(DIST, log);
let server: Awaited<ReturnType<typeof startProductionStack>> | undefined;
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
type PresetFigures = Omit<LighthouseRun, "failing" | "lhr" | "benchmark_index"> & { performance_runs: number[]; tbt_runs: number[]; benchmark_index_runs: number[]; failing?: string[] };
type PageFigures = Partial<Record<Preset, PresetFigures>> & Partial<Awaited<ReturnType<typeof firstLoadJs>>>;
const report: Record<string, PageFigures> = {};
try {
  server = await startProductionStack({ dist: DIST, tempPrefix: "village-lighthouse-", log });
  const { base } = server;
  chrome = await launchChromium();
  if (saveDir) mkdirSync(saveDir, { recursive: true });
  for (const [name, pathname] of Object.entries(pages)) {
    const url = `${base}${pathname}`;
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    // One unmeasured load warms the server's compiled routes, as any visitor after the first sees them.
    await response.text();
    const figures: PageFigures = {};
    report[name] = figures;
    for (const preset of presets) {
      const results: LighthouseRun[] = [];
      for (let i = 0; i < runs; i++) results.push(await runLighthouse(url, chrome.port, preset));
      const median = medianRun(results);
      const failing = [...new Set(results.flatMap((run) => run.failing))];
      figures[preset] = {
        performance: median.performance,
        accessibility: median.accessibility,
        best_practices: median.best_practices,
        tbt_ms: median.tbt_ms,
        lcp_ms: median.lcp_ms,
        cls: median.cls,
        performance_runs: results.map((run) => run.performance),
        tbt_runs: results.map((run) => run.tbt_ms),
        benchmark_index_runs: results.map((run) => run.benchmark_index),
        ...(failing.length ? { failing } : {}),
      };
      log(`${name} ${preset}: ${JSON.stringify(figures[preset])}`);
      if (saveDir) writeFileSync(path.join(saveDir, `${name}-${preset}.json`), JSON.stringify(median.lhr));
    }
    Object.assign(figures, await firstLoadJs(url));
  }
} finally {
  await chrome?.close();
  await server?.stop();
}

const scores = Object.values(report).flatMap((page) => presets.map((preset) => page[preset]!));
// A run narrowed by --page or --preset cannot meet the targets, which are for every page in both presets.
const complete = presets.length === 2 && Object.keys(pages).length === Object.keys(PAGES).length;
const met = complete && scores.every((s) => s.performance >= TARGETS.performance && s.accessibility >= TARGETS.accessibility && s.best_practices >= TARGETS.best_practices);
stdoutWrite(`${JSON.stringify({ bench: "lighthouse", runs, pages: report, targets: TARGETS, ...(complete ? {} : { partial: true }), met })}\n`);
process.exit(0);
