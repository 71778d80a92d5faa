import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { getCurrentUser } from "@/lib/auth/session";
import type { Role, SessionUser } from "@/lib/auth/roles";
import { getLocale } from "@/lib/i18n/server";
import { createAction, type ActionContext, type ActionDeps, type ActionOptions, type ActionState } from "./core";

export type { ActionState } from "./core";

const deps: ActionDeps = {
  getUser: getCurrentUser,
  getLocale,
  rethrow: unstable_rethrow,
  logError: (error) => console.error("[action]", error),
  hitRateLimit: (bucket) => hitRateLimit(getDb(), bucket.key, bucket.limit, bucket.windowSeconds),
};

type Handler<S extends z.ZodType, U, Data> = (input: z.output<S>, ctx: ActionContext<U>) => Promise<ActionState<Data> | void>;

type Options<S extends z.ZodType, U, Data> = ActionOptions<z.output<S>, U, Data>;

export function publicAction<S extends z.ZodType, Data = unknown>(schema: S, handler: Handler<S, SessionUser | null, Data>, options?: Options<S, SessionUser | null, Data>) {
  return createAction(deps, { kind: "public" }, schema, handler, options);
}

export function signedInAction<S extends z.ZodType, Data = unknown>(schema: S, handler: Handler<S, SessionUser, Data>, options?: Options<S, SessionUser, Data>) {
  return createAction(deps, { kind: "signed-in" }, schema, handler, options);
}

export function roleAction<S extends z.ZodType, Data = unknown>(role: Role, schema: S, handler: Handler<S, SessionUser, Data>, options?: Options<S, SessionUser, Data>) {
  return createAction(deps, { kind: "role", role }, schema, handler, options);
}
