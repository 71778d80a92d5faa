import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { line, optionalFile } from "@/lib/projects/schemas";
import { SLUG } from "@/lib/slug";

/** Shared by the admin forms and their server actions; messages are catalog keys. */

export const ISSUER_KINDS = ["village", "municipality"] as const;

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const id = z.uuid({ error: msg("errors.invalid") });

/** A head count as typed by a person: full-width digits, commas and 人 are accepted; empty means unknown. */
const population = z.preprocess(
  (value) => (typeof value === "string" ? value.normalize("NFKC").replace(/[\s,人]/g, "") : value),
  z
    .union([z.literal(""), z.string().regex(/^\d{1,9}$/, { error: msg("issuers.errors.population") })])
    .optional()
    .transform((value) => (value ? Number(value) : null))
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: msg("issuers.errors.population") })
        .max(100_000_000, { error: msg("issuers.errors.population") })
        .nullable(),
    ),
);

/** Where JPYC payments for the issuer's offerings go (a 0x address); empty: the issuer takes no JPYC. */
const stablecoinPayee = z.preprocess(
  (value) => (typeof value === "string" ? value.trim() : value),
  z
    .union([z.literal(""), z.string().refine((value) => isAddress(value, { strict: false }) && !/^0x0{40}$/i.test(value), { error: msg("issuers.errors.stablecoinPayee") })])
    .optional()
    .transform((value) => (value ? getAddress(value) : null)),
);

/** The municipality whose residents come first (lib/residents): a prefecture code and a city as profiles write it; empty: none. */
const residentPrefecture = z
  .preprocess(
    (value) => (value === "" ? null : value),
    z
      .string()
      .regex(/^(0[1-9]|[1-3]\d|4[0-7])$/, { error: msg("residents.issuer.errors.prefecture") })
      .nullable(),
  )
  .optional();
const residentCity = z.preprocess((value) => (typeof value === "string" ? value.trim() || null : value), line(40).nullable()).optional();

export const issuerSchema = z
  .object({
    issuerId: z.preprocess(emptyToUndefined, id.optional()),
    slug: z
      .string({ error: msg("errors.required") })
      .trim()
      .toLowerCase()
      .min(1, { error: msg("errors.required") })
      .max(40, { error: msg("errors.tooLong") })
      .regex(SLUG, { error: msg("projectsAdmin.errors.slug") }),
    kind: z.enum(ISSUER_KINDS, { error: msg("projectsAdmin.errors.choose") }),
    nameJa: line(60),
    nameEn: line(80),
    prefectureJa: line(10),
    prefectureEn: line(30),
    population,
    stablecoinPayee,
    descriptionJa: line(400),
    descriptionEn: line(600),
    logo: optionalFile,
    residentPrefecture,
    residentCity,
  })
  // Absent (not sent) keeps the municipality as it is; sent, both or neither.
  .refine((issuer) => (issuer.residentPrefecture === undefined && issuer.residentCity === undefined) || !issuer.residentPrefecture === !issuer.residentCity, {
    path: ["residentCity"],
    error: msg("residents.issuer.errors.both"),
  });
export type IssuerInput = z.output<typeof issuerSchema>;

export const grantStaffSchema = z.object({
  issuerId: id,
  email: z
    .string({ error: msg("errors.required") })
    .trim()
    .toLowerCase()
    .min(1, { error: msg("errors.required") })
    .pipe(z.email({ error: msg("errors.email") }).max(254, { error: msg("errors.tooLong") })),
});

/** Account ids are uuids (Auth.js and the seed make them so). */
export const revokeStaffSchema = z.object({ issuerId: id, userId: id });
