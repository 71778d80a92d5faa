import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import type { UpdateFigure } from "@/db/schema";
import { tokyoDate, tokyoDayStart } from "./dates";
import { FIGURE_KINDS } from "./figures";
import { SLUG } from "@/lib/slug";

/** Shared by the staff forms and their server actions; messages are catalog keys. */

const MAX_MARKDOWN_CHARS = 20_000;
const MAX_YEN = 2_000_000_000;

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of plain text (React escapes it on output; the limit is about layout, not safety). */
export function line(max: number) {
  return z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value), { error: msg("projectsAdmin.errors.characters") }),
    );
}

/** Markdown: any characters (the renderer makes them harmless), line ends normalised. */
function markdown(max: number) {
  return z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFC").replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value), { error: msg("projectsAdmin.errors.characters") }),
    );
}

/** Whole yen as typed by a person: full-width digits, commas, ¥ and 円 are accepted. */
function yen(min: number) {
  return z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFKC").replace(/[\s,¥\\円]/g, ""))
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .regex(/^\d{1,10}$/, { error: msg("projectsAdmin.errors.yen") }),
    )
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: msg("projectsAdmin.errors.yen") })
        .max(MAX_YEN, { error: msg("projectsAdmin.errors.yen") }),
    );
}

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalId = z.preprocess(emptyToUndefined, z.uuid({ error: msg("errors.invalid") }).optional());
const id = z.uuid({ error: msg("errors.invalid") });

/** A file input with nothing chosen arrives as an empty file (its name varies by browser); it counts as absent. */
const isEmptyFile = (value: unknown) => value instanceof File && value.size === 0;
export const optionalFile = z.preprocess(
  (value) => (isEmptyFile(value) || value === "" ? undefined : value),
  z.custom<File>((value) => value instanceof File, { error: msg("projectsAdmin.errors.file") }).optional(),
);

const files = z.preprocess(
  (value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => !isEmptyFile(item) && item !== ""),
  z.array(z.custom<File>((value) => value instanceof File, { error: msg("projectsAdmin.errors.file") })).max(10, { error: msg("projectsAdmin.errors.tooManyImages") }),
);

const ids = z.preprocess((value) => (Array.isArray(value) ? value : value === undefined || value === "" ? [] : [value]), z.array(id));

export const PROJECT_STATUSES = ["planned", "in_progress", "done"] as const;

export const projectSchema = z.object({
  projectId: optionalId,
  slug: z
    .string({ error: msg("errors.required") })
    .trim()
    .toLowerCase()
    .min(1, { error: msg("errors.required") })
    .max(60, { error: msg("errors.tooLong") })
    .regex(SLUG, { error: msg("projectsAdmin.errors.slug") }),
  titleJa: line(100),
  titleEn: line(100),
  summaryJa: line(300),
  summaryEn: line(300),
  bodyJa: markdown(MAX_MARKDOWN_CHARS),
  bodyEn: markdown(MAX_MARKDOWN_CHARS),
  budgetYen: yen(0),
  status: z.enum(PROJECT_STATUSES, { error: msg("projectsAdmin.errors.choose") }),
  offeringId: z.uuid({ error: msg("projectsAdmin.errors.choose") }),
  cover: optionalFile,
});
export type ProjectInput = z.output<typeof projectSchema>;

const figure = z.preprocess(
  (value) => (typeof value === "string" ? value.normalize("NFKC").replace(/[\s,]/g, "") : value),
  z.union([z.literal(""), z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, { error: msg("projectsAdmin.errors.figure") })]).optional(),
);

export const updateSchema = z
  .object({
    projectId: id,
    updateId: optionalId,
    titleJa: line(120),
    titleEn: line(120),
    bodyJa: markdown(MAX_MARKDOWN_CHARS),
    bodyEn: markdown(MAX_MARKDOWN_CHARS),
    images: files,
    removeImageIds: ids,
    ...(Object.fromEntries(FIGURE_KINDS.map((kind) => [`figure_${kind}`, figure])) as Record<`figure_${(typeof FIGURE_KINDS)[number]}`, typeof figure>),
  })
  .transform((input) => {
    const figures: UpdateFigure[] = FIGURE_KINDS.flatMap((kind) => {
      const value = input[`figure_${kind}`];
      return value ? [{ kind, value: Number(value) }] : [];
    });
    return {
      projectId: input.projectId,
      updateId: input.updateId,
      titleJa: input.titleJa,
      titleEn: input.titleEn,
      bodyJa: input.bodyJa,
      bodyEn: input.bodyEn,
      images: input.images,
      removeImageIds: input.removeImageIds,
      figures,
    };
  });
export type UpdateInput = z.output<typeof updateSchema>;

/** `today` is fixed only in tests. */
export function spendingSchema(fixedToday?: string) {
  return z.object({
    projectId: id,
    spentOn: z
      .string({ error: msg("errors.required") })
      .trim()
      .min(1, { error: msg("errors.required") })
      .refine((value) => tokyoDayStart(value) !== null, { error: msg("projectsAdmin.errors.date") })
      .refine((value) => value >= "2000-01-01" && value <= (fixedToday ?? tokyoDate(new Date())), { error: msg("projectsAdmin.errors.futureDate") })
      .transform((value) => tokyoDayStart(value)!),
    amountYen: yen(1),
    descriptionJa: line(200),
    descriptionEn: line(200),
    receipt: optionalFile,
  });
}
export type SpendingInput = z.output<ReturnType<typeof spendingSchema>>;

const flag = z.enum(["true", "false"], { error: msg("errors.invalid") }).transform((value) => value === "true");

export const publishProjectSchema = z.object({ projectId: id, publish: flag });
export const publishUpdateSchema = z.object({ updateId: id, publish: flag });
export const removeSpendingSchema = z.object({ spendingId: id });
