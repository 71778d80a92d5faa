import { z } from "zod";
import { bondFormFields, bondTermsFrom } from "@/lib/bonds/schemas";
import { msg } from "@/lib/i18n/keys";
import { SLUG } from "@/lib/slug";

const text = (max: number) =>
  z
    .string({ error: msg("errors.required") })
    .trim()
    .min(1, { error: msg("errors.required") })
    .max(max, { error: msg("errors.tooLong") })
    .refine((value) => !/[<>]/.test(value), { error: msg("onboarding.errors.characters") });
const yen = z.coerce
  .number({ error: msg("offeringAdmin.errors.integer") })
  .int({ error: msg("offeringAdmin.errors.integer") })
  .positive({ error: msg("offeringAdmin.errors.integer") })
  .max(2_147_483_647, { error: msg("offeringAdmin.errors.integer") }); // the columns are 32-bit integers
const MAX_TARGET_YEN = 1_000_000_000_000;
/** `datetime-local` values are read as Tokyo time. */
const tokyoTime = z
  .string({ error: msg("errors.required") })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: msg("offeringAdmin.errors.date") })
  .transform((value) => new Date(`${value}:00+09:00`));

/** Cooling-off days (0: none); absent: kept as it is (a new offering gets the default, 8). */
const coolingOffDays = z.coerce
  .string()
  .trim()
  .regex(/^\d{1,2}$/, { error: msg("residents.formErrors.coolingOffDays") })
  .transform(Number)
  .refine((days) => days <= 30, { error: msg("residents.formErrors.coolingOffDays") })
  .optional();
/** Units kept for residents; empty: none. */
const residentUnits = z
  .preprocess(
    (value) => (value === "" ? 0 : value),
    z.coerce
      .number({ error: msg("residents.formErrors.residentUnits") })
      .int({ error: msg("residents.formErrors.residentUnits") })
      .min(0, { error: msg("residents.formErrors.residentUnits") })
      .max(2_147_483_647, { error: msg("residents.formErrors.residentUnits") }),
  )
  .optional();
/** Until when residents come first; empty: never. */
const residentsUntil = z.preprocess((value) => (value === "" ? null : value), tokyoTime.nullable()).optional();

export const offeringSchema = z
  .object({
    slug: z
      .string()
      .trim()
      .regex(SLUG, { error: msg("offeringAdmin.errors.slug") })
      .max(60, { error: msg("errors.tooLong") }),
    kind: z.enum(["village_token", "municipal_bond"], { error: msg("onboarding.errors.choose") }),
    nameJa: text(120),
    nameEn: text(120),
    descriptionJa: text(2000),
    descriptionEn: text(2000),
    tokenSymbol: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{2,8}$/, { error: msg("offeringAdmin.errors.symbol") }),
    priceYen: yen,
    capUnits: yen,
    minUnitsPerOrder: yen,
    maxUnitsPerOrder: yen,
    yearlyCapYenPerInvestor: yen,
    opensAt: tokyoTime,
    closesAt: tokyoTime,
    coolingOffDays,
    residentUnits,
    residentsUntil,
    ...bondFormFields,
  })
  .refine((o) => o.maxUnitsPerOrder >= o.minUnitsPerOrder, { path: ["maxUnitsPerOrder"], error: msg("offeringAdmin.errors.maxBelowMin") })
  .refine((o) => o.closesAt > o.opensAt, { path: ["closesAt"], error: msg("offeringAdmin.errors.window") })
  // Yen totals (price × units) must stay exact integers in JavaScript and in the public API.
  .refine((o) => o.priceYen * o.capUnits <= MAX_TARGET_YEN, { path: ["capUnits"], error: msg("offeringAdmin.errors.targetTooLarge") })
  // The residents' tranche is part of the cap and needs an end; residents come first only within the sale.
  .refine((o) => (o.residentUnits ?? 0) <= o.capUnits, { path: ["residentUnits"], error: msg("residents.formErrors.aboveCap") })
  .refine((o) => (o.residentUnits ?? 0) === 0 || Boolean(o.residentsUntil), { path: ["residentsUntil"], error: msg("residents.formErrors.untilRequired") })
  .refine((o) => !o.residentsUntil || (o.residentsUntil > o.opensAt && o.residentsUntil < o.closesAt), { path: ["residentsUntil"], error: msg("residents.formErrors.untilOutside") })
  // A municipal bond's own terms (lib/bonds/schemas.ts) come out as `bond`; null for other kinds.
  .transform(bondTermsFrom);

export type OfferingInput = z.output<typeof offeringSchema>;

export const offeringStatusSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  status: z.enum(["open", "paused", "closed"], { error: msg("errors.invalid") }),
});

export const disclosureSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  version: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,32}$/, { error: msg("offeringAdmin.errors.version") }),
  titleJa: text(200),
  titleEn: text(200),
  bodyJa: text(20_000),
  bodyEn: text(20_000),
});

/** A new offering is created for one of the issuers the staff member acts for. */
export const createOfferingSchema = offeringSchema.and(z.object({ issuerId: z.uuid({ error: msg("launch.errors.chooseIssuer") }) }));

export const offeringIdSchema = z.object({ offeringId: z.uuid({ error: msg("errors.invalid") }) });

/** The approver names the revision they read: a change made meanwhile is not approved unseen. */
export const approveTermsSchema = offeringIdSchema.extend({
  revision: z.coerce
    .number({ error: msg("errors.invalid") })
    .int({ error: msg("errors.invalid") })
    .positive({ error: msg("errors.invalid") }),
});
