/** Turns the benchmarks' JSON lines into bench/RESULTS.md: each figure, its target, and where it was measured. */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";

export type BenchRun = { label: string; command: string; seconds: number; figures: Record<string, unknown> | null; error?: string };

export function machine(): string {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GiB memory, Node ${process.version}`;
}

export function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim() !== "";
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown";
  }
}

/** Flattens nested figures to `a.b.c` keys so that every figure gets its own row. */
function flatten(value: unknown, prefix = "", out: [string, unknown][] = []): [string, unknown][] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else out.push([prefix, value]);
  return out;
}

const show = (value: unknown) => (Array.isArray(value) ? value.join(", ") : String(value));

/** The targets a benchmark states in its own line: `target_x` (or `targets.x`) beside `x`. */
function targetFor(key: string, figures: Map<string, unknown>): string {
  const last = key.split(".").at(-1)!;
  const scope = key.split(".").slice(0, -1);
  for (let depth = scope.length; depth >= 0; depth--) {
    const base = scope.slice(0, depth);
    for (const candidate of [
      [...base, `target_${last}`],
      [...base, "targets", last],
    ]) {
      const found = figures.get(candidate.join("."));
      if (found !== undefined) return show(found);
    }
  }
  return "";
}

export function renderResults(runs: BenchRun[], startedAt: Date, measuredAt: string): string {
  const lines = [
    "# Benchmark results",
    "",
    `Measured by \`npm run bench\` (every benchmark, one after the other) on ${startedAt.toISOString()}, commit ${measuredAt}, on ${machine()}.`,
    "Every figure comes from the benchmark's own last JSON line; a ratio compares with a baseline measured in the same run. `met` is the benchmark's own verdict on its targets.",
    "",
    "| Benchmark | Met | Time |",
    "| --- | --- | --- |",
    ...runs.map((run) => `| ${run.label} | ${run.figures ? show(run.figures.met ?? "no target") : "failed"} | ${run.seconds.toFixed(0)} s |`),
  ];
  for (const run of runs) {
    lines.push("", `## ${run.label}`, "", `\`${run.command}\``, "");
    if (!run.figures) {
      lines.push(`Failed: ${run.error ?? "no JSON line"}`);
      continue;
    }
    const rows = flatten(run.figures).filter(([key]) => key !== "bench" && !/(^|\.)target_|(^|\.)targets\./.test(key));
    const all = new Map(flatten(run.figures));
    lines.push("| Figure | Value | Target |", "| --- | --- | --- |");
    for (const [key, value] of rows) lines.push(`| ${key} | ${show(value)} | ${targetFor(key, all)} |`);
  }
  return `${lines.join("\n")}\n`;
}
