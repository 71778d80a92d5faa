import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { kana, text as profileText } from "@/lib/onboarding/schemas";
import { tokyoDateTime, tokyoDayStart } from "@/lib/projects/dates";

/** Shared by the perk forms and the server actions; messages are catalog keys (area "perksErrors"). */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** One line: NFKC, trimmed, runs of spaces collapsed, no control characters. */
const line = (max: number) =>
  z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFKC").trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value), { error: msg("perkErrors.characters") }),
    );

/** Paragraphs: NFKC, trimmed, line ends kept as \n, no other control characters. */
const paragraphs = (max: number) =>
  z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFKC").replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value.replace(/[\n\t]/g, "")), { error: msg("perkErrors.characters") }),
    );

/** A whole number typed in a form ("" and absent are undefined, anything else not a number NaN); checked by the object's refinement. */
const optionalCount = z
  .unknown()
  .optional()
  .transform((value): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number") return value;
    const typed = String(value).normalize("NFKC").replace(/,/g, "").trim();
    return typed === "" ? undefined : /^\d+$/.test(typed) ? Number(typed) : Number.NaN;
  });

const MAX_UNITS = 1_000_000_000;
const isCount = (value: number | undefined, max = MAX_UNITS): value is number => value !== undefined && Number.isInteger(value) && value >= 1 && value <= max;

/** A datetime-local value read as Tokyo time, seconds dropped (null when it is not one; the object's refinement says so). */
const tokyoInstant = z
  .unknown()
  .optional()
  .transform((value) => (typeof value === "string" ? tokyoDateTime(value.trim().replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):\d{2}(\.\d{1,3})?$/, "$1")) : null));

const DAY_MS = 86_400_000;

/**
 * A perk as the staff form sends it. Holding perks need minUnits and a record date, redeeming
 * perks costUnits; the other kind's fields are ignored and come out null (as the table's check wants).
 */
export const perkSchema = z
  .object({
    kind: z.enum(["holding", "redeeming"], { error: msg("perkErrors.kind") }),
    titleJa: line(100),
    titleEn: line(100),
    descriptionJa: paragraphs(2000),
    descriptionEn: paragraphs(2000),
    minUnits: optionalCount,
    recordDate: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "string" ? value.trim() : undefined)),
    costUnits: optionalCount,
    stock: optionalCount,
    claimOpensAt: tokyoInstant,
    claimClosesAt: tokyoInstant,
    /** A checkbox: "on" when ticked, absent when not. */
    needsAddress: z
      .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()], { error: msg("errors.invalid") })
      .optional()
      .transform((value) => value === true || value === "on" || value === "true"),
  })
  .superRefine(
    (perk, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      if (!isCount(perk.stock, 1_000_000)) issue("stock", msg("perkErrors.stock"));
      if (!perk.claimOpensAt) issue("claimOpensAt", msg("perkErrors.dateTime"));
      if (!perk.claimClosesAt) issue("claimClosesAt", msg("perkErrors.dateTime"));
      else if (perk.claimOpensAt && perk.claimClosesAt.getTime() <= perk.claimOpensAt.getTime()) issue("claimClosesAt", msg("perkErrors.window"));
      if (perk.kind === "holding") {
        if (!isCount(perk.minUnits)) issue("minUnits", msg("perkErrors.minUnits"));
        const dayStart = perk.recordDate ? tokyoDayStart(perk.recordDate) : null;
        if (!dayStart) issue("recordDate", msg("perkErrors.recordDate"));
        // Who may claim is known only once the record date has ended.
        else if (perk.claimClosesAt && dayStart.getTime() + DAY_MS >= perk.claimClosesAt.getTime()) issue("recordDate", msg("perkErrors.recordDateAfterClose"));
      } else if (perk.kind === "redeeming" && !isCount(perk.costUnits)) {
        issue("costUnits", msg("perkErrors.costUnits"));
      }
    },
    // Every field's message at once, even while others are still wrong.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  )
  .transform((perk) => ({
    kind: perk.kind,
    titleJa: perk.titleJa,
    titleEn: perk.titleEn,
    descriptionJa: perk.descriptionJa,
    descriptionEn: perk.descriptionEn,
    minUnits: perk.kind === "holding" ? perk.minUnits! : null,
    recordDate: perk.kind === "holding" ? perk.recordDate! : null,
    costUnits: perk.kind === "redeeming" ? perk.costUnits! : null,
    stock: perk.stock!,
    claimOpensAt: perk.claimOpensAt!,
    claimClosesAt: perk.claimClosesAt!,
    needsAddress: perk.needsAddress,
  }));
export type PerkValues = z.output<typeof perkSchema>;

const postalCode = z
  .string({ error: msg("errors.required") })
  .transform((value) => value.normalize("NFKC").replace(/[\s\u2010-\u2015\u2212\u30fc\uff0d〒]/g, (ch) => (/\s|〒/.test(ch) ? "" : "-")))
  .pipe(
    z
      .string()
      .min(1, { error: msg("errors.required") })
      .regex(/^(\d{3}-?\d{4})$/, { error: msg("perkErrors.postalCode") }),
  )
  .transform((value) => `${value.replace("-", "").slice(0, 3)}-${value.replace("-", "").slice(3)}`);

/** Japanese phone numbers as written: digits with hyphens (kept), 10 or 11 digits from a leading 0 (+81 read as 0). */
const phone = z
  .string({ error: msg("errors.required") })
  .transform((value) =>
    value
      .normalize("NFKC")
      .replace(/[\u2010-\u2015\u2212\u30fc\uff0d]/g, "-")
      .replace(/[\s()]/g, "")
      .replace(/^\+81-?/, "0"),
  )
  .pipe(
    z
      .string()
      .min(1, { error: msg("errors.required") })
      .regex(/^0\d*(-\d+)*$/, { error: msg("perkErrors.phone") })
      .refine((value) => /^0\d{9,10}$/.test(value.replace(/-/g, "")), { error: msg("perkErrors.phone") }),
  );

/** The delivery address of one claim (prefilled from the profile, changeable for this claim). */
export const deliverySchema = z.object({
  recipientName: profileText(100),
  recipientKana: kana,
  postalCode,
  address: profileText(300),
  phone,
});

/** The holder's claim form: the perk, and its delivery address when the perk ships something. */
export const claimSchema = z.object({ perkId: z.uuid({ error: msg("errors.invalid") }) });

const claimId = z.uuid({ error: msg("perkErrors.claim") });

export const shipSchema = z.object({
  claimId,
  trackingNumber: z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFKC").trim())
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .regex(/^[A-Za-z0-9-]{1,40}$/, { error: msg("perkErrors.trackingNumber") }),
    ),
});

export const cancelClaimSchema = z.object({ claimId, reason: paragraphs(500) });
