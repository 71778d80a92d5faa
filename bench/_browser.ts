import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stopChild } from "../scripts/lib/processes";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

export type Preset = "mobile" | "desktop";
const CATEGORIES = ["performance", "accessibility", "best-practices"];
type Report = NonNullable<Awaited<ReturnType<typeof lighthouse>>>["lhr"];

/** One Lighthouse run, reduced to what the bench reports (the full report is kept for --save). */
export type LighthouseRun = {
  performance: number;
  accessibility: number;
  best_practices: number;
  tbt_ms: number;
  lcp_ms: number;
  cls: number;
  /** Lighthouse's CPU benchmark of this machine during the run (a fast desktop scores 1500+; it falls under load). */
  benchmark_index: number;
  /** Audits of the accessibility and best-practices categories that did not pass. */
  failing: string[];
  lhr: Report;
};

// Flags that work in this closed network: no GPU, no sandbox (root), nothing phoning home.
const CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Debian's chromium with a fresh profile, removed on close; Lighthouse drives it over its DevTools port. */
export async function launchChromium(chromePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium") {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "village-lighthouse-"));
  const args = [...CHROME_FLAGS, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", `--user-data-dir=${userDataDir}`, "about:blank"];
  const chrome = spawn(chromePath, args, { stdio: ["ignore", "ignore", "pipe"] });
  const close = async () => {
    await stopChild(chrome, 5_000);
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port:\n${output}`)), 30_000);
      chrome.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
        const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      chrome.once("exit", (code) => reject(new Error(`chromium exited (${code}):\n${output}`)));
    });
    return { port, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const score = (value: number | null | undefined) => Math.round((value ?? 0) * 100);

/** Lighthouse with its shipped presets and their own throttling, unchanged: mobile (default) or desktop. */
export async function runLighthouse(url: string, port: number, preset: Preset): Promise<LighthouseRun> {
  const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: CATEGORIES }, preset === "desktop" ? desktopConfig : undefined);
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const failing: string[] = [];
  for (const category of ["accessibility", "best-practices"]) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (audit && (audit.scoreDisplayMode === "binary" || audit.scoreDisplayMode === "numeric") && audit.score !== null && audit.score < 1) failing.push(ref.id);
    }
  }
  return {
    performance: score(lhr.categories.performance?.score),
    accessibility: score(lhr.categories.accessibility?.score),
    best_practices: score(lhr.categories["best-practices"]?.score),
    tbt_ms: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? 0),
    lcp_ms: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? 0),
    cls: Number((lhr.audits["cumulative-layout-shift"]?.numericValue ?? 0).toFixed(3)),
    benchmark_index: Math.round(lhr.environment?.benchmarkIndex ?? 0),
    failing,
    lhr,
  };
}

/** The run with the median performance score (its TBT/LCP go with it), and the scores of all runs. */
export function medianRun(runs: LighthouseRun[]): LighthouseRun {
  const sorted = [...runs].sort((a, b) => a.performance - b.performance);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Waits for, then holds, a lock file named after `key` (one Lighthouse bench at a time: a second run
 * would rebuild the folder the first one serves, and both would measure each other's load).
 */
export async function holdLock(key: string, log: (line: string) => void): Promise<() => void> {
  const file = path.join(os.tmpdir(), `village-${createHash("sha256").update(key).digest("hex").slice(0, 12)}.lock`);
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      const release = () => rmSync(file, { force: true });
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // released meanwhile
    }
    const holder = Number(text);
    // An empty file is a lock being written this instant.
    if (text !== "" && !isAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!told) log(`waiting for another run of this bench (pid ${holder}) to finish`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
