import { vi } from "vitest";
import type { z } from "zod";

/**
 * Import after test/session-mock.ts, before any action. Outside a request, Next's headers() and
 * cookies() have no store and next-auth cannot sign in: these stand in. And every action keeps
 * the schema it was made with, so the suite builds its forms from the same fields.
 */
vi.mock("next/headers", () => {
  const jar = new Map<string, string>();
  return {
    headers: async () => new Headers(),
    cookies: async () => ({
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      set: (name: string, value: string) => void jar.set(name, value),
      delete: (name: string) => void jar.delete(name),
    }),
  };
});
vi.mock("@/lib/auth", () => ({ signIn: async () => undefined, signOut: async () => undefined, handlers: {}, auth: async () => null }));
vi.mock("@/lib/actions/core", async (importOriginal) => {
  const core = await importOriginal<typeof import("@/lib/actions/core")>();
  const createAction: typeof core.createAction = (deps, access, schema, handler, options) => Object.assign(core.createAction(deps, access, schema, handler, options), { schema });
  return { ...core, createAction };
});

/** The zod schema an action validates its form with (kept by the mock above). */
export const schemaOf = (action: unknown): z.ZodType => {
  const schema = (action as { schema?: z.ZodType }).schema;
  if (!schema) throw new Error("action made without lib/actions (or imported before test/hostile/action-mocks.ts)");
  return schema;
};
