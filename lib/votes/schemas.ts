import { z } from "zod";
import { VOTE_COUNTINGS } from "@/db/schema/holders";
import { isValidDate } from "@/lib/bonds/calendar";
import { msg } from "@/lib/i18n/keys";
import { tokyoDateTime } from "@/lib/projects/dates";

/** Shared by the vote forms and their server actions; messages are catalog keys (area "votes"). */

const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;

const text = (max: number) =>
  z
    .string({ error: msg("errors.required") })
    .trim()
    .min(1, { error: msg("errors.required") })
    .max(max, { error: msg("errors.tooLong") });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: msg("errors.tooLong") })
    .optional()
    .default("");

const OPTION_FIELD = /^option\.(\d+)\.(labelJa|labelEn|projectId)$/;

type OptionRow = { row: number; labelJa: string; labelEn: string; projectId: string };

/**
 * The form sends each option as `option.<row>.labelJa|labelEn|projectId`; rows left empty are
 * dropped, and each kept row remembers its number so an error lands on the right input.
 */
function collectOptions(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const rows = new Map<number, OptionRow>();
  for (const [key, value] of Object.entries(raw)) {
    const match = OPTION_FIELD.exec(key);
    if (!match || typeof value !== "string") continue;
    const row = Number(match[1]);
    if (row >= MAX_OPTIONS * 2) continue;
    const current = rows.get(row) ?? { row, labelJa: "", labelEn: "", projectId: "" };
    rows.set(row, { ...current, [match[2]!]: value.trim() });
  }
  const options = [...rows.values()].filter((option) => option.labelJa || option.labelEn || option.projectId).sort((a, b) => a.row - b.row);
  return { ...raw, options };
}

const optionSchema = z.object({
  row: z.number(),
  labelJa: z.string().max(200, { error: msg("errors.tooLong") }),
  labelEn: z.string().max(200, { error: msg("errors.tooLong") }),
  projectId: z.union([z.literal(""), z.uuid({ error: msg("votesStaff.errors.project") })]).transform((value) => value || null),
});

export const voteSchema = z
  .preprocess(
    collectOptions,
    z.object({
      offeringId: z.uuid({ error: msg("errors.invalid") }),
      questionJa: text(300),
      questionEn: text(300),
      descriptionJa: optionalText(4_000),
      descriptionEn: optionalText(4_000),
      recordDate: z
        .string({ error: msg("errors.required") })
        .trim()
        .refine(isValidDate, { error: msg("votesStaff.errors.recordDate") }),
      endsAt: z
        .string({ error: msg("errors.required") })
        .trim()
        .transform((value, ctx) => {
          const date = tokyoDateTime(value);
          if (!date) ctx.addIssue({ code: "custom", message: msg("votesStaff.errors.endsAt") });
          return date ?? new Date(Number.NaN);
        }),
      counting: z.enum(VOTE_COUNTINGS, { error: msg("votesStaff.errors.counting") }),
      options: z.array(optionSchema).max(MAX_OPTIONS, { error: msg("votesStaff.errors.optionCount") }),
    }),
  )
  .superRefine((vote, ctx) => {
    if (vote.options.length < MIN_OPTIONS) ctx.addIssue({ code: "custom", path: ["options"], message: msg("votesStaff.errors.optionCount") });
    for (const option of vote.options) {
      if (!option.labelJa) ctx.addIssue({ code: "custom", path: [`option.${option.row}.labelJa`], message: msg("errors.required") });
      if (!option.labelEn) ctx.addIssue({ code: "custom", path: [`option.${option.row}.labelEn`], message: msg("errors.required") });
    }
  })
  .transform(({ options, ...vote }) => ({ ...vote, options: options.map(({ labelJa, labelEn, projectId }) => ({ labelJa, labelEn, projectId })) }));

export type VoteInput = z.output<typeof voteSchema>;

export const ballotSchema = z.object({
  voteId: z.uuid({ error: msg("errors.invalid") }),
  optionId: z.uuid({ error: msg("votes.errors.chooseOption") }),
});

export const voteRefSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  voteId: z.uuid({ error: msg("errors.invalid") }),
});
