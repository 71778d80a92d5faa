/**
 * A few seconds' cache of the public pages as an anonymous visitor sees them, in front of the
 * renderer (proxy.ts). Every response still gets its own nonce: the page is rendered once with a
 * placeholder nonce that only this process knows, and each visitor's copy has it replaced by that
 * visitor's fresh one. Only anonymous document requests (no session cookie) are answered from it,
 * keyed by path and language and nothing else: a signed-in visitor's page is never stored.
 */
import { PUBLIC_STALE_MS, PUBLIC_TTL_MS, ttlCache } from "./ttl";

export type CachedPage = { body: string; headers: [string, string][] };
type PageRequest = { method: string; pathname: string; search: string; headers: Headers };

// The pages every anonymous visitor sees alike; nothing under /staff, an investor page or sign-in.
const PUBLIC_PAGES = [/^\/$/, /^\/offerings\/[a-z0-9-]+$/, /^\/projects(\/[a-z0-9-]+)?$/, /^\/issuers(\/[a-z0-9-]+)?$/, /^\/transparency$/];
// Client navigations, prefetches and server actions ask for something else than the document.
const NOT_A_DOCUMENT = ["rsc", "next-router-prefetch", "next-router-segment-prefetch", "next-router-state-tree", "next-action", "next-url"];
// Auth.js's session cookie (with the __Secure- prefix over https, split into .0, .1 … when large).
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
// What the cache copies from a rendered page; the policy, the cache's own Cache-Control and the
// fixed security headers (next.config.ts) are set on every response anyway.
const KEPT_HEADERS = ["content-type", "vary", "link"];

/** Cache-Control of a public page as an anonymous visitor gets it: the browser may keep it (back/forward) but asks again; no shared cache may store it, its nonce is this response's. */
export const ANONYMOUS_PAGE_CACHE_CONTROL = "private, no-cache";

function cookiesOf(headers: Headers): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) found.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return found;
}

export function isSessionCookie(name: string): boolean {
  return SESSION_COOKIE.test(name);
}

function hasSessionCookie(headers: Headers): boolean {
  return [...cookiesOf(headers).keys()].some(isSessionCookie);
}

/** Whether this is an anonymous visitor's request for a public page's document. */
function isAnonymousPublicPage(request: PageRequest): boolean {
  if (request.method !== "GET" || request.search !== "") return false;
  if (!PUBLIC_PAGES.some((page) => page.test(request.pathname))) return false;
  if (NOT_A_DOCUMENT.some((name) => request.headers.has(name))) return false;
  return !hasSessionCookie(request.headers);
}

/** The cache key (language and path), or null when the request must be rendered for itself. */
export function pageCacheKey(request: PageRequest, localeCookie: string, locales: readonly string[], fallback: string): string | null {
  if (!isAnonymousPublicPage(request)) return null;
  const chosen = cookiesOf(request.headers).get(localeCookie);
  return `${chosen && locales.includes(chosen) ? chosen : fallback} ${request.pathname}`;
}

/**
 * The rendered page, kept only when it is a plain 200 that sets no cookie, and was rendered with
 * the placeholder (whatever else might answer on the port is not this server's page).
 */
export async function keepable(response: Response, placeholder: string): Promise<CachedPage | null> {
  const ours = response.headers.get("content-security-policy")?.includes(`'nonce-${placeholder}'`);
  if (!ours || response.status !== 200 || response.headers.has("set-cookie") || !response.headers.get("content-type")?.startsWith("text/html")) {
    await response.body?.cancel();
    return null;
  }
  const headers = KEPT_HEADERS.flatMap((name): [string, string][] => {
    const value = response.headers.get(name);
    return value ? [[name, value]] : [];
  });
  return { body: await response.text(), headers };
}

/** A visitor's copy: the placeholder nonce replaced by the visitor's own, everywhere it occurs. */
export function withNonce(page: CachedPage, placeholder: string, nonce: string): CachedPage {
  const swap = (text: string) => text.replaceAll(placeholder, nonce);
  return { body: swap(page.body), headers: page.headers.map(([name, value]) => [name, swap(value)]) };
}

/**
 * Pages by key; `render` renders one with the placeholder nonce. A page not to be kept (an error,
 * a 404, a render that failed) is remembered as null for the same while: each visitor's request
 * is then rendered for itself, without asking again for every one of them.
 */
export function createPageCache(render: (pathname: string, locale: string) => Promise<CachedPage | null>, ttlMs = PUBLIC_TTL_MS, staleMs = PUBLIC_STALE_MS, now?: () => number) {
  const pages = ttlCache<CachedPage | null>(ttlMs, staleMs, now);
  return {
    get(key: string): Promise<CachedPage | null> {
      const space = key.indexOf(" ");
      return pages.get(key, () => render(key.slice(space + 1), key.slice(0, space)).catch(() => null));
    },
    clear: () => pages.clear(),
  };
}
