import "server-only";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/auth/client-ip";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { HSTS, NO_CONTENT_CSP } from "@/lib/http/security-headers";
import { BadCursor } from "./keyset";
import type { ApiError } from "./schemas";
import { isSlug } from "@/lib/slug";

/**
 * The open data API's request handling: a rate limit per client, query validation, answers parsed
 * through their documented schema, ETags, cache headers and CORS (it is open data: any origin may GET).
 */

/** How long answers may be kept: an offering's progress moves with every order, the rest slowly. */
export const CACHE = {
  live: "public, max-age=15, s-maxage=15, stale-while-revalidate=60",
  stable: "public, max-age=60, s-maxage=300, stale-while-revalidate=600",
  document: "public, max-age=3600, s-maxage=3600, stale-while-revalidate=86400",
  notFound: "public, max-age=60, s-maxage=60",
} as const;

const RATE_WINDOW_SECONDS = 60;

/** An absolute URL on the portal, for links in the API's answers. */
export function portalUrl(pathOrUrl: string): string {
  return new URL(pathOrUrl, env().authUrl).toString();
}

function baseHeaders(): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "ETag, Retry-After",
    "content-security-policy": NO_CONTENT_CSP,
    ...(env().mode === "live" ? { "strict-transport-security": HSTS } : {}),
  };
}

function errorResponse(status: 400 | 404 | 429, error: z.infer<typeof ApiError>["error"], headers: Record<string, string>): Response {
  return Response.json({ error }, { status, headers: { ...baseHeaders(), ...headers } });
}

/** Serialises an answer with a weak ETag; a request that already has it gets 304 without the body. */
function jsonResponse(request: Request, body: unknown, cacheControl: string): Response {
  const text = JSON.stringify(body);
  const etag = `W/"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
  const headers = { ...baseHeaders(), "cache-control": cacheControl, etag };
  const known = request.headers
    .get("if-none-match")
    ?.split(",")
    .map((tag) => tag.trim());
  if (known?.includes(etag) || known?.includes("*")) return new Response(null, { status: 304, headers });
  return new Response(text, { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}

/** Counts the request against its client's bucket; an answer when the client is over the limit. */
async function overLimit(request: Request): Promise<Response | null> {
  const settings = env();
  const client = clientIp(request.headers, settings.trustedProxyHops);
  const { allowed, retryAfterSeconds } = await hitRateLimit(getDb(), `api:ip:${client}`, settings.apiLimitPerMinute, RATE_WINDOW_SECONDS);
  if (allowed) return null;
  return errorResponse(
    429,
    { code: "rate_limited", message: `Too many requests: at most ${settings.apiLimitPerMinute} a minute per client. Retry after ${retryAfterSeconds} s.` },
    { "retry-after": String(retryAfterSeconds), "cache-control": "no-store" },
  );
}

const notFound = (what: string) => errorResponse(404, { code: "not_found", message: `No such ${what}` }, { "cache-control": CACHE.notFound });

type Route<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/**
 * A GET handler of the API for one operation of lib/api/openapi.ts. `load` gets the validated query
 * and the path parameters and returns the answer, or null for "not found"; the answer is parsed
 * through the operation's response schema, so a field the schema does not name never leaves.
 */
export function apiRoute<Q extends z.ZodObject, P = Record<string, never>>(
  operation: { query: Q; response: z.ZodType; cache: string; what: string },
  load: (query: z.infer<Q>, params: P) => Promise<unknown>,
): Route<P> {
  return async (request, context) => {
    const limited = await overLimit(request);
    if (limited) return limited;
    const parsed = operation.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ parameter: issue.path.join(".") || "query", message: issue.message }));
      return errorResponse(400, { code: "bad_request", message: "Invalid query parameters", issues }, { "cache-control": "no-store" });
    }
    const params = await context.params;
    // Path parameters are slugs: anything else (a NUL byte, a megabyte) names nothing and never reaches the database.
    if (Object.values(params ?? {}).some((value) => typeof value !== "string" || !isSlug(value))) return notFound(operation.what);
    let answer: unknown;
    try {
      answer = await load(parsed.data, params);
    } catch (error) {
      if (!(error instanceof BadCursor)) throw error;
      return errorResponse(400, { code: "bad_request", message: error.message, issues: [{ parameter: "cursor", message: error.message }] }, { "cache-control": "no-store" });
    }
    if (answer === null) return notFound(operation.what);
    return jsonResponse(request, operation.response.parse(answer), operation.cache);
  };
}

/** A fixed document (the OpenAPI description), rate limited and cached like the rest. */
export function documentRoute(document: () => unknown): Route<unknown> {
  return async (request) => (await overLimit(request)) ?? jsonResponse(request, document(), CACHE.document);
}

/** Any other path under /api/v1: a JSON 404 rather than the site's HTML page. */
export const unknownRoute: Route<unknown> = async (request) => (await overLimit(request)) ?? notFound("route");

/** CORS preflight: a browser asks before a GET with headers of its own (e.g. If-None-Match). */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...baseHeaders(),
      "access-control-allow-methods": "GET, HEAD, OPTIONS",
      "access-control-allow-headers": "If-None-Match, Accept",
      "access-control-max-age": "86400",
    },
  });
}
