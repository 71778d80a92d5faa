import { z } from "zod";
import { VOTE_COUNTINGS } from "@/db/schema/holders";
import { isValidDate } from "@/lib/bonds/calendar";
import { msg } from "@/lib/i18n/keys";
import { tokyoDateTime } from "@/lib/projects/dates";

/** Shared by the vote forms and their server actions; messages are catalog keys (area "votes"). */

const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;

// Control characters (NUL among them) are refused: PostgreSQL rejects NUL, and they have no place in a question or label.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const MAX_LABEL = 200;

/** One line of plain text: NFC, spaces and line breaks collapsed, trimmed (React and the feed escape it on output). */
const oneLine = (value: string) => value.normalize("NFC").replace(/\s+/g, " ").trim();
const line = (max: number) =>
  z
    .string({ error: msg("errors.required") })
    .transform(oneLine)
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value), { error: msg("votesStaff.errors.characters") }),
    );
/** Paragraphs of plain text: line ends kept as \n, no other control characters. */
const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .default("")
    .transform((value) => value.normalize("NFC").replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .max(max, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value), { error: msg("votesStaff.errors.characters") }),
    );

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
    // Every row counts, whatever its number: too many rows is refused, never silently cut.
    const row = Number(match[1]);
    const current = rows.get(row) ?? { row, labelJa: "", labelEn: "", projectId: "" };
    rows.set(row, { ...current, [match[2]!]: value });
  }
  const options = [...rows.values()].filter((option) => option.labelJa.trim() || option.labelEn.trim() || option.projectId.trim()).sort((a, b) => a.row - b.row);
  return { ...raw, options };
}

const optionSchema = z.object({
  row: z.number(),
  labelJa: z.string().transform(oneLine),
  labelEn: z.string().transform(oneLine),
  projectId: z
    .string()
    .trim()
    .pipe(z.union([z.literal(""), z.uuid({ error: msg("votesStaff.errors.project") })]))
    .transform((value) => value || null),
});

export const voteSchema = z
  .preprocess(
    collectOptions,
    z.object({
      offeringId: z.uuid({ error: msg("errors.invalid") }),
      questionJa: line(300),
      questionEn: line(300),
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
    // Two options of one name could not be told apart on the ballot or in the result.
    const seen = { labelJa: new Set<string>(), labelEn: new Set<string>() };
    for (const option of vote.options) {
      for (const field of ["labelJa", "labelEn"] as const) {
        // Checked here rather than in the option's schema, so that the error names the form's row.
        const path = [`option.${option.row}.${field}`];
        if (!option[field]) ctx.addIssue({ code: "custom", path, message: msg("errors.required") });
        else if (option[field].length > MAX_LABEL) ctx.addIssue({ code: "too_big", origin: "string", maximum: MAX_LABEL, inclusive: true, path, message: msg("errors.tooLong") });
        else if (CONTROL.test(option[field])) ctx.addIssue({ code: "custom", path, message: msg("votesStaff.errors.characters") });
        const key = option[field].normalize("NFKC").toLowerCase();
        if (option[field] && seen[field].has(key)) ctx.addIssue({ code: "custom", path, message: msg("votesStaff.errors.duplicateLabel") });
        seen[field].add(key);
      }
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
