import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { isSessionCookie } from "@/lib/cache/page-cache";
import { auth } from "./index";
import { hasRole, ROLES, type Role, type SessionUser } from "./roles";

/** The signed-in user for this request, or null; read once per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  // Without a session cookie there is no session to look up: an anonymous visit costs Auth.js nothing.
  if (!(await cookies()).getAll().some((cookie) => isSessionCookie(cookie.name))) return null;
  const session = await auth();
  const user = session?.user as { id?: string; email?: string | null; name?: string | null; role?: string; signedInAt?: string } | undefined;
  if (!user?.id || !user.email) return null;
  const role = (ROLES as readonly string[]).includes(user.role ?? "") ? (user.role as Role) : "investor";
  const signedInAt = user.signedInAt ? new Date(user.signedInAt) : undefined;
  return { id: user.id, email: user.email, name: user.name ?? null, role, ...(signedInAt && !Number.isNaN(signedInAt.getTime()) ? { signedInAt } : {}) };
});

/** For pages: sends an anonymous visitor to sign in and back here afterwards. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For pages: answers 403 to a signed-in user without the role. */
export async function requireRole(role: Role, returnTo: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!hasRole(user.role, role)) forbidden();
  return user;
}
