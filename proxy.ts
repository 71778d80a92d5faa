import { NextResponse, type NextRequest } from "next/server";
import { ANONYMOUS_PAGE_CACHE_CONTROL, createPageCache, keepable, pageCacheKey, withNonce } from "@/lib/cache/page-cache";
import { isStaffWrite, noteStaffWrite } from "@/lib/cache/ttl";
import { env } from "@/lib/env";
import { checkoutOrigin, contentSecurityPolicy, HSTS, newNonce, NO_CONTENT_CSP } from "@/lib/http/security-headers";
import { DEFAULT_LOCALE, LOCALE_COOKIE, LOCALES } from "@/lib/i18n/catalog";

// The page cache renders with a placeholder nonce no visitor ever sees, asking this server itself
// with a marker only this process knows (an outside request cannot get the placeholder).
const PLACEHOLDER_NONCE = newNonce();
const RENDER_HEADER = "x-village-page-render";
const RENDER_SECRET = newNonce();

const pages = createPageCache(async (pathname, locale) => {
  // Loopback, never the Host header: a forged host must not choose what is cached.
  const response = await fetch(`http://127.0.0.1:${env().port}${pathname}`, {
    headers: { cookie: `${LOCALE_COOKIE}=${locale}`, accept: "text/html", [RENDER_HEADER]: RENDER_SECRET },
    cache: "no-store",
    redirect: "manual",
    signal: AbortSignal.timeout(20_000),
  });
  return keepable(response, PLACEHOLDER_NONCE);
});

/**
 * A Content-Security-Policy with a fresh nonce on every request. Next.js reads the nonce from the
 * request's CSP header and puts it on its own scripts (every page renders per request, or comes
 * from the page cache with this nonce put in). The proxy runs on Node.js, so it reads the
 * validated settings like the rest of the server.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Next.js answers a route parameter that is not percent-encoded UTF-8 with a bare 500.
  if (!isDecodable(pathname)) return badAddress();
  if (request.method === "POST" && !(await isReadableActionBody(request))) return badRequestBody();
  // These routes set their own policy (see `config` below): they are only checked here.
  if (OWN_POLICY_ROUTES.test(pathname)) return NextResponse.next();
  const settings = env();
  const live = settings.mode === "live";
  const internal = request.headers.get(RENDER_HEADER) === RENDER_SECRET;
  const nonce = internal ? PLACEHOLDER_NONCE : newNonce();
  const policy = contentSecurityPolicy({
    nonce,
    dev: settings.nodeEnv === "development",
    live,
    checkoutOrigin: checkoutOrigin(settings.stripe.emulatorPort),
  });
  if (isStaffWrite(request.method, pathname)) noteStaffWrite();
  const key = settings.nodeEnv === "production" && !internal ? pageCacheKey({ method: request.method, pathname, search, headers: request.headers }, LOCALE_COOKIE, LOCALES, DEFAULT_LOCALE) : null;
  const page = key ? await pages.get(key) : null;
  let response: NextResponse;
  if (page) {
    const copy = withNonce(page, PLACEHOLDER_NONCE, nonce);
    response = new NextResponse(copy.body, { headers: copy.headers });
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.delete(RENDER_HEADER);
    requestHeaders.set("content-security-policy", policy);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  if (key) response.headers.set("cache-control", ANONYMOUS_PAGE_CACHE_CONTROL);
  response.headers.set("content-security-policy", policy);
  if (live) response.headers.set("strict-transport-security", HSTS);
  return response;
}

const OWN_POLICY_ROUTES = /^\/api\/(images|identity-documents|v1)\//;

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * A form post (multipart) must be a readable form, and a server action's text body a JSON array
 * (its arguments), as React sends them: Next.js answers anything else with a 500 before our code sees it.
 */
async function isReadableActionBody(request: NextRequest): Promise<boolean> {
  const type = request.headers.get("content-type")?.toLowerCase() ?? "";
  try {
    if (type.startsWith("multipart/form-data")) await request.clone().formData();
    else if (request.headers.has("next-action") && type.startsWith("text/plain")) return Array.isArray(JSON.parse(await request.clone().text()));
    return true;
  } catch {
    return false;
  }
}

const plainText = (status: number, text: string) => new NextResponse(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "content-security-policy": NO_CONTENT_CSP } });

const badAddress = () => plainText(400, "400 このアドレスは正しくありません。リンクを確かめてください。\nThis address is not valid: please check the link.\n");

const badRequestBody = () =>
  plainText(400, "400 送信された内容を読み取れませんでした。ページを読み込み直して、もう一度お試しください。\nWhat was sent could not be read: please reload the page and try again.\n");

export const config = {
  // Skipped: static files; the webhook, because for a request the proxy sees Next.js first buffers
  // the whole body (up to 10 MB), which the webhook's own limit must refuse unread (next.config.ts
  // gives it a policy). Images and identity documents set a stricter sandboxing policy of their own
  // that a header set here would replace, and the open data API's JSON needs no nonce and has its
  // own policy (lib/api/http.ts): their paths are only checked (OWN_POLICY_ROUTES).
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|api/stripe/webhook).*)"],
};
