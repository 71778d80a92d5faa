import { z } from "zod";
import { tokyoDayStart } from "@/lib/projects/dates";

/** The audit page's query string; anything malformed is simply ignored. */
const schema = z.object({
  actor: z.string().trim().max(254).optional().catch(undefined),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,80}$/)
    .optional()
    .catch(undefined),
  from: z.string().optional().catch(undefined),
  to: z.string().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export function auditQuery(params: Record<string, string | string[] | undefined>) {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const raw = schema.parse(Object.fromEntries(Object.entries(params).map(([key, value]) => [key, first(value)])));
  const from = raw.from ? tokyoDayStart(raw.from) : null;
  const toStart = raw.to ? tokyoDayStart(raw.to) : null;
  return {
    form: { actor: raw.actor ?? "", action: raw.action ?? "", from: from ? raw.from! : "", to: toStart ? raw.to! : "" },
    filter: {
      actor: raw.actor,
      action: raw.action,
      from: from ?? undefined,
      // "to" is inclusive for people: up to the end of that day in Tokyo.
      to: toStart ? new Date(toStart.getTime() + 24 * 60 * 60 * 1000) : undefined,
      before: raw.before,
    },
  };
}
