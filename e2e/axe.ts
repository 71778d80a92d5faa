import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** WCAG 2.0 and 2.1, levels A and AA. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING = new Set(["serious", "critical"]);

/** A visited page's path with its ids folded, so one route counts once whatever it was opened for. */
function routeOf(url: string): string {
  return new URL(url).pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "[id]")
    .replace(/0x[0-9a-f]{40,64}/gi, "[hex]")
    .replace(/\/(cs|pi)_\w+/g, "/[$1]");
}

/** Runs axe on the page as it is now; fails listing each serious or critical violation with its targets and help URL. */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  // Legacy mode runs axe in the page itself: no helper page per check (half the time), and our pages have no cross-origin frames.
  // Only violations are read, so axe need not list every node that passed (options() replaces all options: before withTags).
  const { violations } = await new AxeBuilder({ page })
    .options({ resultTypes: ["violations"] })
    .withTags(TAGS)
    .setLegacyMode(true)
    .analyze();
  const found = violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ""))
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} ${violation.helpUrl} at ${violation.nodes.map((node) => node.target.join(" ")).join(" | ")}`);
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/**
 * An axe check for every page a journey shows: `check` is called wherever a page has arrived (a route
 * already checked in this journey is not checked again), and `expectAllChecked` fails if a page
 * navigated to since was never checked, unless it only redirects (nothing was shown).
 */
export function axeJourney() {
  const visited = new Map<string, { page: Page; url: string }>();
  const checked = new Set<string>();
  const watched = new WeakSet<Page>();
  const check = async (page: Page) => {
    if (!watched.has(page)) {
      watched.add(page);
      page.on("framenavigated", (frame) => {
        if (frame === page.mainFrame() && frame.url().startsWith("http")) visited.set(routeOf(frame.url()), { page, url: frame.url() });
      });
    }
    const route = routeOf(page.url());
    if (checked.has(route)) return;
    await expectNoSeriousViolations(page);
    checked.add(route);
  };
  const expectAllChecked = async () => {
    const unchecked: string[] = [];
    for (const [route, { page, url }] of visited) {
      if (checked.has(route)) continue;
      const status = await page.request.get(url, { maxRedirects: 0 }).then(
        (response) => response.status(),
        () => 0,
      );
      if (status < 300 || status > 399) unchecked.push(`${route} (${status || "closed"})`);
    }
    expect(unchecked.sort(), "pages visited without an axe check").toEqual([]);
    return checked.size;
  };
  return { check, expectAllChecked };
}
