import { z } from "zod";

const text = (max: number) =>
  z
    .string({ error: "errors.required" })
    .trim()
    .min(1, { error: "errors.required" })
    .max(max, { error: "errors.tooLong" })
    .refine((value) => !/[<>]/.test(value), { error: "onboarding.errors.characters" });
const yen = z.coerce.number({ error: "offeringAdmin.errors.integer" }).int({ error: "offeringAdmin.errors.integer" }).positive({ error: "offeringAdmin.errors.integer" }).max(10_000_000_000, { error: "offeringAdmin.errors.integer" });
/** `datetime-local` values are read as Tokyo time. */
const tokyoTime = z
  .string({ error: "errors.required" })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: "offeringAdmin.errors.date" })
  .transform((value) => new Date(`${value}:00+09:00`));

export const offeringSchema = z
  .object({
    slug: z.string().trim().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "offeringAdmin.errors.slug" }).max(60, { error: "errors.tooLong" }),
    kind: z.enum(["village_token", "municipal_bond"], { error: "onboarding.errors.choose" }),
    nameJa: text(120),
    nameEn: text(120),
    descriptionJa: text(2000),
    descriptionEn: text(2000),
    tokenSymbol: z.string().trim().regex(/^[A-Z0-9]{2,8}$/, { error: "offeringAdmin.errors.symbol" }),
    priceYen: yen,
    capUnits: yen,
    minUnitsPerOrder: yen,
    maxUnitsPerOrder: yen,
    yearlyCapYenPerInvestor: yen,
    opensAt: tokyoTime,
    closesAt: tokyoTime,
  })
  .refine((o) => o.maxUnitsPerOrder >= o.minUnitsPerOrder, { path: ["maxUnitsPerOrder"], error: "offeringAdmin.errors.maxBelowMin" })
  .refine((o) => o.closesAt > o.opensAt, { path: ["closesAt"], error: "offeringAdmin.errors.window" });

export type OfferingInput = z.output<typeof offeringSchema>;

export const offeringStatusSchema = z.object({
  offeringId: z.uuid({ error: "errors.invalid" }),
  status: z.enum(["open", "paused", "closed"], { error: "errors.invalid" }),
});

export const disclosureSchema = z.object({
  offeringId: z.uuid({ error: "errors.invalid" }),
  version: z.string().trim().regex(/^[\w.-]{1,32}$/, { error: "offeringAdmin.errors.version" }),
  titleJa: text(200),
  titleEn: text(200),
  bodyJa: text(20_000),
  bodyEn: text(20_000),
});
