import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * What `npm test` needs from the system besides npm: Debian's chromium (Playwright drives it) and
 * the CJK fonts (Japanese renders as boxes without them). A fresh machine has neither.
 */
const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export type SystemState = {
  chromiumMissing: boolean;
  fontsMissing: boolean;
  isRoot: boolean;
  hasApt: boolean;
  /** CHROMIUM_PATH when set: a browser of one's own, which apt cannot provide. */
  customChromium?: string;
};

export type PreflightPlan = { action: "ready" } | { action: "install"; packages: string[]; commands: string[][] } | { action: "stop"; message: string };

export function preflightPlan(state: SystemState): PreflightPlan {
  if (state.chromiumMissing && state.customChromium) {
    return { action: "stop", message: `CHROMIUM_PATH is ${state.customChromium}, which does not exist: point it at a Chromium, or unset it to use Debian's chromium` };
  }
  const packages = [...(state.chromiumMissing ? ["chromium"] : []), ...(state.fontsMissing ? ["fonts-noto-cjk"] : [])];
  if (packages.length === 0) return { action: "ready" };
  if (!state.hasApt) {
    return { action: "stop", message: `npm test needs ${packages.join(" and ")}: install Chromium (or set CHROMIUM_PATH) and the Noto CJK fonts with this system's package manager` };
  }
  // A lock timeout: another apt run (a colleague's npm test) waits instead of failing.
  const install = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", ...packages];
  if (state.isRoot) return { action: "install", packages, commands: [["apt-get", "update", "-qq"], install] };
  return {
    action: "stop",
    message: `npm test needs ${packages.join(" and ")} from apt, and only root can install them. Run this once, then npm test again:\n  sudo apt-get update && sudo ${install.join(" ")}`,
  };
}

/** The machine as it is now. */
export function detectSystem(env: Record<string, string | undefined> = process.env): SystemState {
  const hasDpkg = existsSync("/usr/bin/dpkg-query");
  return {
    chromiumMissing: !existsSync(env.CHROMIUM_PATH || DEFAULT_CHROMIUM),
    fontsMissing: hasDpkg ? !debianPackageInstalled("fonts-noto-cjk") : !hasJapaneseFont(),
    isRoot: process.getuid?.() === 0,
    hasApt: existsSync("/usr/bin/apt-get"),
    customChromium: env.CHROMIUM_PATH || undefined,
  };
}

function debianPackageInstalled(name: string): boolean {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format field, not a template
  const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() === "install ok installed";
}

function hasJapaneseFont(): boolean {
  const result = spawnSync("fc-list", [":lang=ja", "family"], { encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() !== "";
}

/** Installs what is missing (as root) or says what to run; returns the exit code for the process. */
export function runPreflight(log: (line: string) => void = console.log, detect: () => SystemState = detectSystem): number {
  const plan = preflightPlan(detect());
  if (plan.action === "ready") return 0;
  if (plan.action === "stop") {
    console.error(plan.message);
    return 1;
  }
  log(`installing ${plan.packages.join(" and ")} with apt (npm test needs them)`);
  for (const [command, ...args] of plan.commands) {
    const result = spawnSync(command!, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) {
      console.error(`${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal})`);
      return 1;
    }
  }
  const after = preflightPlan(detect());
  if (after.action !== "ready") {
    console.error(`apt finished, but ${plan.packages.join(" and ")} still look missing`);
    return 1;
  }
  return 0;
}
