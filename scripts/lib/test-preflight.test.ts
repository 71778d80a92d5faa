import { describe, expect, it, vi } from "vitest";
import { detectSystem, preflightPlan, runPreflight, type SystemState } from "./test-preflight";

const state = (change: Partial<SystemState>): SystemState => ({ chromiumMissing: false, fontsMissing: false, isRoot: true, hasApt: true, ...change });
const aptInstall = (...packages: string[]) => ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", ...packages];

describe("npm test's preflight (chromium and CJK fonts)", () => {
  it("does nothing when both are there", () => {
    expect(preflightPlan(state({}))).toEqual({ action: "ready" });
    expect(preflightPlan(state({ isRoot: false }))).toEqual({ action: "ready" });
  });

  it("as root installs exactly what is missing, after apt-get update", () => {
    const update = ["apt-get", "update", "-qq"];
    expect(preflightPlan(state({ chromiumMissing: true, fontsMissing: true }))).toEqual({
      action: "install",
      packages: ["chromium", "fonts-noto-cjk"],
      commands: [update, aptInstall("chromium", "fonts-noto-cjk")],
    });
    expect(preflightPlan(state({ chromiumMissing: true }))).toMatchObject({ commands: [update, aptInstall("chromium")] });
    expect(preflightPlan(state({ fontsMissing: true }))).toMatchObject({ commands: [update, aptInstall("fonts-noto-cjk")] });
  });

  it("as another user stops at once, ending with the one command to run", () => {
    const plan = preflightPlan(state({ chromiumMissing: true, fontsMissing: true, isRoot: false }));
    expect(plan.action).toBe("stop");
    const message = (plan as { message: string }).message;
    expect(message.split("\n").at(-1)!.trim()).toBe(`sudo apt-get update && sudo ${aptInstall("chromium", "fonts-noto-cjk").join(" ")}`);
    expect((preflightPlan(state({ fontsMissing: true, isRoot: false })) as { message: string }).message).toMatch(/install -y -qq fonts-noto-cjk$/);
  });

  it("without apt, or with a CHROMIUM_PATH that does not exist, says what is wrong instead", () => {
    expect(preflightPlan(state({ chromiumMissing: true, hasApt: false }))).toMatchObject({ action: "stop", message: expect.stringMatching(/package manager/) });
    expect(preflightPlan(state({ chromiumMissing: true, customChromium: "/opt/chrome" }))).toMatchObject({ action: "stop", message: expect.stringMatching(/CHROMIUM_PATH is \/opt\/chrome/) });
  });

  it("looks for chromium at CHROMIUM_PATH when it is set, else /usr/bin/chromium", () => {
    expect(detectSystem({ CHROMIUM_PATH: "/nonexistent/chromium" })).toMatchObject({ chromiumMissing: true, customChromium: "/nonexistent/chromium" });
    expect(detectSystem({ CHROMIUM_PATH: process.execPath })).toMatchObject({ chromiumMissing: false });
  });

  it("fails without running anything when it has to stop", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(
      runPreflight(
        () => undefined,
        () => state({ chromiumMissing: true, isRoot: false }),
      ),
    ).toBe(1);
    expect(error.mock.calls[0]![0]).toMatch(/sudo apt-get update/);
    expect(
      runPreflight(
        () => undefined,
        () => state({}),
      ),
    ).toBe(0);
    error.mockRestore();
  });
});
