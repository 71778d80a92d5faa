import "server-only";
import { hasRole, type Role, type SessionUser } from "./roles";
import { getCurrentUser } from "./session";

type RouteHandler<U, C> = (request: Request, user: U, context: C) => Response | Promise<Response>;
/** Next.js always passes the context (params); it is optional here so a guarded handler also fits demoOnlyRoute. */
type Route<C> = (request: Request, context?: C) => Promise<Response>;

/**
 * The access check of a route handler, like the action wrapper's for actions: an anonymous
 * caller gets 401, a signed-in one without the role 403 (plain text), before the handler runs;
 * the handler gets the user. "public" lets everyone through, with the user when signed in;
 * "investor", the lowest role, lets every signed-in user through.
 */
export function withRole<C = unknown>(access: "public", handler: RouteHandler<SessionUser | null, C>): Route<C>;
export function withRole<C = unknown>(access: Role, handler: RouteHandler<SessionUser, C>): Route<C>;
export function withRole<C>(access: Role | "public", handler: RouteHandler<SessionUser, C> | RouteHandler<SessionUser | null, C>): Route<C> {
  return async (request, context) => {
    const user = await getCurrentUser();
    if (access === "public") return (handler as RouteHandler<SessionUser | null, C>)(request, user, context as C);
    if (!user) return new Response("Unauthorized", { status: 401 });
    if (!hasRole(user.role, access)) return new Response("Forbidden", { status: 403 });
    return handler(request, user, context as C);
  };
}
