import type { z } from "zod";
import { lookup, translator, type Locale, type MessageKey, type Translate } from "@/lib/i18n/catalog";
import { messagesFor } from "@/lib/i18n/catalog";
import { hasRole, type Role, type SessionUser } from "@/lib/auth/roles";
import type { RateLimitBucket } from "@/lib/auth/rate-limit";

/** What every server action returns, read on the page with useActionState. */
export type ActionState<Data = unknown> = {
  status: "idle" | "ok" | "invalid" | "error";
  message?: string;
  fieldErrors?: Record<string, string>;
  /** What was submitted (text fields only), so a form can show it again after an error. */
  values?: Record<string, string>;
  data?: Data;
};

/** A server action as a form receives it, for useActionState (a type only: client components import it). */
export type FormAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

export type Access = { kind: "public" } | { kind: "signed-in" } | { kind: "role"; role: Role };

export type ActionDeps = {
  getUser(): Promise<SessionUser | null>;
  getLocale(): Promise<Locale>;
  /** Lets framework control flow (redirect, notFound) through the catch-all. */
  rethrow(error: unknown): void;
  logError(error: unknown): void;
  /** Counts one hit against a bucket (lib/auth/rate-limit.ts). */
  hitRateLimit(bucket: RateLimitBucket): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
};

export type ActionContext<U> = { user: U; locale: Locale; t: Translate };

/** Steps between validation and the handler, in this order. */
export type ActionOptions<In, U, Data> = {
  /** A refusal that must not count against the rate limit (such as a sign-in that is too old). */
  guard?: (input: In, ctx: ActionContext<U>) => ActionState<Data> | undefined | Promise<ActionState<Data> | undefined>;
  /** The buckets each request counts against; over any of them the action answers "try again in N minutes". */
  rateLimit?: (input: In, ctx: ActionContext<U>) => RateLimitBucket[] | Promise<RateLimitBucket[]>;
  /** What a limited request is told (with `{minutes}`); by default "too many attempts". */
  rateLimitMessage?: "auth.rateLimited" | "errors.tooManyAttempts";
};

/** FormData to a plain object: repeated names become arrays, everything else stays as sent. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

function textValues(submitted: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(submitted).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** Zod issues whose message is a catalog key become that message in the reader's language. */
function fieldErrorsFrom(error: z.ZodError, t: Translate, locale: Locale): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_form";
    if (fieldErrors[field]) continue;
    const isKey = lookup(messagesFor(locale), issue.message) !== undefined;
    const vars: Record<string, string | number> = {};
    if ("maximum" in issue) vars.max = Number(issue.maximum);
    if ("minimum" in issue) vars.min = Number(issue.minimum);
    fieldErrors[field] = isKey ? t(issue.message as MessageKey, vars) : t("errors.invalid");
  }
  return fieldErrors;
}

/** Every bucket is hit (so each keeps its count); over any, the wait is the longest of them. */
async function rateLimited(deps: ActionDeps, buckets: RateLimitBucket[]): Promise<{ minutes: number } | null> {
  const hits = await Promise.all(buckets.map((bucket) => deps.hitRateLimit(bucket)));
  if (hits.every((hit) => hit.allowed)) return null;
  return { minutes: Math.ceil(Math.max(...hits.map((hit) => hit.retryAfterSeconds)) / 60) };
}

/**
 * The one action wrapper: authorise (public → signed-in → role), then validate with the shared
 * zod schema, then the optional guard and rate limit, then run the handler. Failures come back as
 * a typed state, never as a thrown error.
 */
export function createAction<S extends z.ZodType, U extends SessionUser | null, Data>(
  deps: ActionDeps,
  access: Access,
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext<U>) => Promise<ActionState<Data> | void>,
  options: ActionOptions<z.output<S>, U, Data> = {},
) {
  return async (_previous: ActionState<Data>, formData: FormData): Promise<ActionState<Data>> => {
    const locale = await deps.getLocale();
    const t = translator(locale);
    try {
      const user = await deps.getUser();
      if (access.kind !== "public" && !user) return { status: "error", message: t("errors.signInRequired") };
      if (access.kind === "role" && !hasRole(user!.role, access.role)) {
        return { status: "error", message: t("errors.forbidden") };
      }
      // A form always posts FormData; a hand-made request to the action's id may send any value.
      if (!(formData instanceof FormData)) return { status: "invalid", message: t("errors.invalid") };
      const submitted = formDataToObject(formData);
      const parsed = schema.safeParse(submitted);
      if (!parsed.success) {
        return { status: "invalid", message: t("errors.invalid"), fieldErrors: fieldErrorsFrom(parsed.error, t, locale), values: textValues(submitted) };
      }
      const ctx: ActionContext<U> = { user: user as U, locale, t };
      const refused = await options.guard?.(parsed.data, ctx);
      if (refused) return refused;
      const limited = options.rateLimit ? await rateLimited(deps, await options.rateLimit(parsed.data, ctx)) : null;
      if (limited) return { status: "error", message: t(options.rateLimitMessage ?? "errors.tooManyAttempts", { minutes: limited.minutes }) };
      return (await handler(parsed.data, ctx)) ?? { status: "ok" };
    } catch (error) {
      deps.rethrow(error);
      deps.logError(error);
      return { status: "error", message: t("errors.unexpected") };
    }
  };
}
