import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { tokyoDateTime } from "@/lib/projects/dates";

/** The register's query string (page and CSV export): an offering id and an optional moment in Tokyo time. */
export const registerQuerySchema = z.object({
  offering: z.uuid().optional().catch(undefined),
  at: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const date = tokyoDateTime(value);
      if (!date) {
        ctx.addIssue({ code: "custom", message: msg("register.invalidDate") });
        return z.NEVER;
      }
      return date;
    }),
});

export function registerQuery(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const get = (key: string) => {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  return registerQuerySchema.safeParse({ offering: get("offering") || undefined, at: get("at") || undefined });
}
