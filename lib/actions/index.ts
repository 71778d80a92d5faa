import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import type { Role, SessionUser } from "@/lib/auth/roles";
import { getLocale } from "@/lib/i18n/server";
import { createAction, type ActionContext, type ActionDeps, type ActionState } from "./core";

export { idleState, type ActionState } from "./core";

const deps: ActionDeps = {
  getUser: getCurrentUser,
  getLocale,
  rethrow: unstable_rethrow,
  logError: (error) => console.error("[action]", error),
};

type Handler<S extends z.ZodType, U, Data> = (
  input: z.output<S>,
  ctx: ActionContext<U>,
) => Promise<ActionState<Data> | void>;

export function publicAction<S extends z.ZodType, Data = unknown>(schema: S, handler: Handler<S, SessionUser | null, Data>) {
  return createAction(deps, { kind: "public" }, schema, handler);
}

export function signedInAction<S extends z.ZodType, Data = unknown>(schema: S, handler: Handler<S, SessionUser, Data>) {
  return createAction(deps, { kind: "signed-in" }, schema, handler);
}

export function roleAction<S extends z.ZodType, Data = unknown>(role: Role, schema: S, handler: Handler<S, SessionUser, Data>) {
  return createAction(deps, { kind: "role", role }, schema, handler);
}
