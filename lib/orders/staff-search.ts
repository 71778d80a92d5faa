import { z } from "zod";
import type { MessageKey, Translate } from "@/lib/i18n/catalog";
import { msg } from "@/lib/i18n/keys";
import { tokyoDayStart } from "@/lib/projects/dates";
import { ORDER_STATUSES, type OrderStatus } from "./status";

/** The staff orders page's query string (page, page links and CSV export share it): filters by email, number, status, offering and Tokyo dates. */

export const STAFF_ORDERS_PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const FIELDS = ["email", "number", "status", "offering", "from", "to", "page"] as const;
export type StaffOrderParams = Partial<Record<(typeof FIELDS)[number], string>>;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

function tokyoDay(key: "from" | "to") {
  return optional(z.string()).transform((value, ctx) => {
    if (value === undefined) return undefined;
    const start = tokyoDayStart(value.trim());
    if (!start) {
      ctx.addIssue({ code: "custom", message: msg("staffOrderSearch.errors.date") });
      return z.NEVER;
    }
    // "To" includes its whole day: orders placed before the next day starts in Tokyo (no DST there).
    return key === "from" ? start : new Date(start.getTime() + DAY_MS);
  });
}

const PAGE_ERROR = { error: msg("staffOrderSearch.errors.page") };

const schema = z
  .object({
    email: optional(
      z
        .string()
        .trim()
        .max(200, { error: msg("staffOrderSearch.errors.email") })
        // No address has control characters, and PostgreSQL refuses a NUL byte in a query.
        .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { error: msg("errors.invalid") }),
    ),
    // The order number people read (orders.seq, "#12" or "12"), or the order's id.
    number: optional(z.string().trim()).transform((value, ctx) => {
      if (value === undefined) return undefined;
      const digits = /^#?(\d{1,15})$/.exec(value);
      if (digits) return { seq: Number(digits[1]) };
      if (z.uuid().safeParse(value).success) return { orderId: value.toLowerCase() };
      ctx.addIssue({ code: "custom", message: msg("staffOrderSearch.errors.number") });
      return z.NEVER;
    }),
    status: optional(z.enum(ORDER_STATUSES as [OrderStatus, ...OrderStatus[]], { error: msg("staffOrderSearch.errors.status") })),
    offering: optional(z.uuid({ error: msg("staffOrderSearch.errors.offering") })),
    from: tokyoDay("from"),
    to: tokyoDay("to"),
    page: optional(z.coerce.number(PAGE_ERROR).int(PAGE_ERROR).min(1, PAGE_ERROR).max(1_000_000, PAGE_ERROR)),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.to <= value.from) ctx.addIssue({ code: "custom", path: ["to"], message: msg("staffOrderSearch.errors.range") });
  })
  .transform(({ email, number, status, offering, from, to, page }) => ({
    filters: { email, seq: number?.seq, orderId: number?.orderId, status, offeringId: offering, placedFrom: from, placedBefore: to },
    page: page ?? 1,
  }));

export type StaffOrderFilters = z.output<typeof schema>["filters"];

/** The query's text values, as sent (first of repeated keys; unknown keys dropped): for the form and the links. */
export function staffOrderParams(params: URLSearchParams | Record<string, string | string[] | undefined>): StaffOrderParams {
  const result: StaffOrderParams = {};
  for (const key of FIELDS) {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) result[key] = first;
  }
  return result;
}

export function parseStaffOrderQuery(params: StaffOrderParams) {
  return schema.safeParse(params);
}

/** What is wrong with a query, per field, in the reader's language. */
export function searchProblems(error: z.ZodError, t: Translate): Partial<Record<keyof StaffOrderParams, string>> {
  const problems: Partial<Record<keyof StaffOrderParams, string>> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "email") as keyof StaffOrderParams;
    const ours = issue.message.startsWith("staffOrderSearch.errors.");
    problems[field] ??= t(ours ? (issue.message as MessageKey) : "staffOrderSearch.invalid");
  }
  return problems;
}

/** A link's query string with the same filters and another page (or none, for the CSV). */
export function staffOrderHref(path: string, params: StaffOrderParams, page?: number): string {
  const query = new URLSearchParams();
  for (const key of FIELDS) {
    const value = key === "page" ? (page && page > 1 ? String(page) : undefined) : params[key];
    if (value) query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
