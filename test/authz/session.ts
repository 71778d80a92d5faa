import { vi } from "vitest";
import type { SessionUser } from "@/lib/auth/roles";
import type { Locale } from "@/lib/i18n/catalog";

/**
 * Who the request comes from, one layer below test/session-mock.ts: the real getCurrentUser,
 * requireUser and requireRole run, reading a session cookie and Auth.js's session as mocked here,
 * so a page or route is checked by the same code a request goes through.
 */
// Next enables forbidden() (403 pages) from next.config's authInterrupts through this variable.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

export const caller: { user: SessionUser | null; locale: Locale } = { user: null, locale: "en" };

vi.mock("next/headers", () => {
  const jar = () => {
    const all = [{ name: "locale", value: caller.locale }, ...(caller.user ? [{ name: "authjs.session-token", value: `authz-${caller.user.id}` }] : [])];
    return {
      getAll: () => all,
      get: (name: string) => all.find((cookie) => cookie.name === name),
      has: (name: string) => all.some((cookie) => cookie.name === name),
      set: () => {},
      delete: () => {},
    };
  };
  return { cookies: async () => jar(), headers: async () => new Headers({ "user-agent": "authz-matrix" }) };
});

// Auth.js itself is not loaded (it needs Next's module resolution): its own endpoints answer 200 here,
// so the matrix checks the portal's wrapper around them (app/api/auth/[...nextauth]/route.ts).
vi.mock("@/lib/auth/index", () => ({
  handlers: { GET: async () => Response.json({}), POST: async () => Response.json({}) },
  auth: async () => (caller.user ? { user: { ...caller.user, signedInAt: caller.user.signedInAt?.toISOString() } } : null),
  signOut: async () => {},
  signIn: async () => {},
}));

// Client components rendered to HTML outside a mounted app router (as the other page tests do).
vi.mock("next/navigation", async (original) => ({ ...(await original<object>()), useRouter: () => ({ refresh: () => {}, push: () => {}, replace: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, refresh: () => {} }));
