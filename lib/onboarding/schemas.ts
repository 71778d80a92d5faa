import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { emailField } from "@/lib/auth/schemas";
import { PREFECTURE_CODES } from "./prefectures";

/** Shared by the onboarding forms and the server actions; messages are catalog keys. */

const HOSTILE = /[<>{}\\;`$]|--|\/\*|\bjavascript:/i;

/** NFKC, trimmed, spaces collapsed, within `max`, no markup or control characters (also the perk delivery form's). */
export function text(max: number) {
  return z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFKC").trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !HOSTILE.test(value) && !/[\u0000-\u001f\u007f]/.test(value), { error: msg("onboarding.errors.characters") }),
    );
}

const personName = text(50).refine((value) => /^[\p{L}\p{M}\s・'’.-]+$/u.test(value), { error: msg("onboarding.errors.name") });

/** Katakana (hiragana is converted), as Japanese forms expect for furigana. */
export const kana = text(50)
  .transform((value) => value.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60)))
  .refine((value) => /^[\u30a1-\u30fa\u30fc・\s]+$/u.test(value), { error: msg("onboarding.errors.kana") });

/** Age in whole years on `today` (both dates as calendar dates in Tokyo). */
function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function tokyoToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

const ADULT_AGE = 18;

/** `today` is fixed only in tests; otherwise each parse uses the current date in Tokyo. */
export function profileSchema(fixedToday?: string) {
  const today = () => fixedToday ?? tokyoToday();
  return z.object({
    familyNameKanji: personName,
    givenNameKanji: personName,
    familyNameKana: kana,
    givenNameKana: kana,
    birthDate: z
      .string({ error: msg("errors.required") })
      .trim()
      .min(1, { error: msg("errors.required") })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: msg("onboarding.errors.date") })
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), { error: msg("onboarding.errors.date") })
      .refine((value) => value >= "1900-01-01" && value <= today(), { error: msg("onboarding.errors.date") })
      .refine((value) => ageOn(value, today()) >= ADULT_AGE, { error: msg("onboarding.errors.adult") }),
    postalCode: z
      .string({ error: msg("errors.required") })
      .transform((value) => value.normalize("NFKC").replace(/[\s−ー－-]/g, ""))
      .pipe(
        z
          .string()
          .min(1, { error: msg("errors.required") })
          .regex(/^\d{7}$/, { error: msg("onboarding.errors.postalCode") }),
      )
      .transform((value) => `${value.slice(0, 3)}-${value.slice(3)}`),
    prefecture: z.enum(PREFECTURE_CODES, { error: msg("onboarding.errors.prefecture") }),
    city: text(100),
    street: text(200),
    phone: z
      .string({ error: msg("errors.required") })
      .transform((value) =>
        value
          .normalize("NFKC")
          .replace(/[\s()−ー－-]/g, "")
          .replace(/^\+81/, "0"),
      )
      .pipe(
        z
          .string()
          .min(1, { error: msg("errors.required") })
          .regex(/^0\d{9,10}$/, { error: msg("onboarding.errors.phone") }),
      ),
    countryOfResidence: z
      .string({ error: msg("errors.required") })
      .min(1, { error: msg("errors.required") })
      .refine((value) => value === "JP", { error: msg("onboarding.errors.residence") }),
  });
}

export type ProfileInput = z.output<ReturnType<typeof profileSchema>>;

const EXPERIENCE = ["none", "under_1y", "1_to_3y", "over_3y"] as const;
const INCOME_BANDS = ["under_3m", "3m_to_5m", "5m_to_10m", "over_10m"] as const;
const ASSET_BANDS = ["under_1m", "1m_to_5m", "5m_to_10m", "over_10m"] as const;
const PURPOSES = ["support_village", "long_term", "short_term_profit"] as const;

export const suitabilitySchema = z.object({
  experience: z.enum(EXPERIENCE, { error: msg("onboarding.errors.choose") }),
  incomeBand: z.enum(INCOME_BANDS, { error: msg("onboarding.errors.choose") }),
  assetBand: z.enum(ASSET_BANDS, { error: msg("onboarding.errors.choose") }),
  purpose: z.enum(PURPOSES, { error: msg("onboarding.errors.choose") }),
});

export type SuitabilityInput = z.output<typeof suitabilitySchema>;

export const acceptanceSchema = z.object({
  documentIds: z
    .union([z.string(), z.array(z.string())], { error: msg("onboarding.errors.mustAccept") })
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((entry) => entry.split(",")).filter(Boolean))
    .pipe(z.array(z.uuid({ error: msg("onboarding.errors.mustAccept") })).min(1, { error: msg("onboarding.errors.mustAccept") })),
});

/** The reviewer's answer: does the address on the document match the profile's (residence rests on it)? */
const addressAnswer = z.enum(["yes", "no"], { error: msg("residents.review.choose") });

export const reviewDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ documentId: z.uuid({ error: msg("errors.invalid") }), decision: z.literal("approve"), addressMatches: addressAnswer, addressShown: z.string().max(400).optional() }),
  z.object({ documentId: z.uuid({ error: msg("errors.invalid") }), decision: z.literal("reject"), reason: text(500) }),
]);

export const profileChangeDecisionSchema = z.discriminatedUnion("decision", [
  // Not asked (no address field changed) or not confirmed: a changed address becomes unconfirmed.
  z.object({ requestId: z.uuid({ error: msg("errors.invalid") }), decision: z.literal("approve"), addressConfirmed: addressAnswer.optional() }),
  z.object({ requestId: z.uuid({ error: msg("errors.invalid") }), decision: z.literal("reject"), reason: text(500) }),
]);

export const identityUploadSchema = z.object({
  document: z.custom<File>((value) => value instanceof File, { error: msg("onboarding.errors.fileMissing") }),
});

export const emailChangeSchema = z.object({ newEmail: emailField });

export const tokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { error: msg("account.invalidLink") }) });
