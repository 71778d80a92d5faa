import "server-only";
import { env } from "@/lib/env";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: Request) => Promise<Response> | Response;

/**
 * Handlers for every HTTP method of a demo-only route: in live mode each one answers 404, so a
 * live site does not even reveal the route (Next.js would answer 405 or OPTIONS for the others).
 */
export function demoOnlyRoute(handlers: Partial<Record<Method, Handler>>): Record<Method, Handler> {
  const allow = Object.keys(handlers).join(", ");
  const route = {} as Record<Method, Handler>;
  for (const method of METHODS) {
    route[method] = async (request) => {
      if (!env().isDemo) return new Response("Not found", { status: 404 });
      const handler = handlers[method];
      return handler ? handler(request) : new Response("Method not allowed", { status: 405, headers: { Allow: allow } });
    };
  }
  return route;
}
