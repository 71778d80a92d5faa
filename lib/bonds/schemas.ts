import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { isValidDate } from "./calendar";
import { scheduleProblem } from "./schedule";

/** A rate in percent with at most 2 decimals, as integer basis points ("0.45" → 45): the column is whole bp. */
const rateBp = z
  .string({ error: msg("bonds.errors.rate") })
  .trim()
  .regex(/^\d{1,2}(\.\d{1,2})?$/, { error: msg("bonds.errors.rate") })
  .transform((value) => {
    const [whole, fraction = ""] = value.split(".");
    return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  })
  .refine((bp) => bp <= 2000, { error: msg("bonds.errors.rate") });

const calendarDate = z
  .string({ error: msg("bonds.errors.date") })
  .trim()
  .refine(isValidDate, { error: msg("bonds.errors.date") });

/** The bond fields of the offering form (named `bond…` beside the offering's own). */
const bondFieldsSchema = z
  .object({
    bondFaceValueYen: z.coerce
      .number({ error: msg("bonds.errors.face") })
      .int({ error: msg("bonds.errors.face") })
      .min(1, { error: msg("bonds.errors.face") })
      .max(10_000_000, { error: msg("bonds.errors.face") }),
    bondCouponRate: rateBp,
    bondCouponsPerYear: z.enum(["1", "2", "4", "12"], { error: msg("bonds.errors.frequency") }).transform(Number),
    bondInterestFrom: calendarDate,
    bondFirstCouponDate: calendarDate,
    bondMaturityDate: calendarDate,
    bondRecordDateBusinessDays: z.coerce
      .number({ error: msg("bonds.errors.recordDays") })
      .int({ error: msg("bonds.errors.recordDays") })
      .min(0, { error: msg("bonds.errors.recordDays") })
      .max(10, { error: msg("bonds.errors.recordDays") }),
  })
  .transform((f) => ({
    faceValueYen: f.bondFaceValueYen,
    couponRateBp: f.bondCouponRate,
    couponsPerYear: f.bondCouponsPerYear,
    interestFrom: f.bondInterestFrom,
    firstCouponDate: f.bondFirstCouponDate,
    maturityDate: f.bondMaturityDate,
    recordDateBusinessDays: f.bondRecordDateBusinessDays,
  }))
  .superRefine((terms, ctx) => {
    if (terms.firstCouponDate <= terms.interestFrom) {
      ctx.addIssue({ code: "custom", path: ["bondFirstCouponDate"], message: msg("bonds.errors.firstAfterStart") });
      return;
    }
    const problem = scheduleProblem(terms);
    if (problem === "firstPeriodTooLong") ctx.addIssue({ code: "custom", path: ["bondInterestFrom"], message: msg("bonds.errors.firstPeriodTooLong") });
    else if (problem === "maturityOffSchedule") ctx.addIssue({ code: "custom", path: ["bondMaturityDate"], message: msg("bonds.errors.maturityOffSchedule") });
    else if (problem === "beyondCalendar") ctx.addIssue({ code: "custom", path: ["bondMaturityDate"], message: msg("bonds.errors.beyondCalendar") });
  });

/** The bond's own terms as saved in bond_terms; the issue price is the offering's price per unit. */
export type BondTermsInput = z.output<typeof bondFieldsSchema>;

/** The raw bond fields, kept by the offering schema until it knows the kind. */
export const bondFormFields = {
  bondFaceValueYen: z.unknown().optional(),
  bondCouponRate: z.unknown().optional(),
  bondCouponsPerYear: z.unknown().optional(),
  bondInterestFrom: z.unknown().optional(),
  bondFirstCouponDate: z.unknown().optional(),
  bondMaturityDate: z.unknown().optional(),
  bondRecordDateBusinessDays: z.unknown().optional(),
};

type RawOffering = { kind: string; priceYen: number } & { [K in keyof typeof bondFormFields]?: unknown };

/**
 * The offering form's bond part: for a municipal bond its terms are required and checked (the
 * price per unit is the issue price, at most the face value); for any other kind they are ignored.
 */
export function bondTermsFrom<T extends RawOffering>(value: T, ctx: z.RefinementCtx): Omit<T, keyof typeof bondFormFields> & { bond: BondTermsInput | null } {
  const { bondFaceValueYen, bondCouponRate, bondCouponsPerYear, bondInterestFrom, bondFirstCouponDate, bondMaturityDate, bondRecordDateBusinessDays, ...rest } = value;
  if (value.kind !== "municipal_bond") return { ...rest, bond: null };
  const parsed = bondFieldsSchema.safeParse({ bondFaceValueYen, bondCouponRate, bondCouponsPerYear, bondInterestFrom, bondFirstCouponDate, bondMaturityDate, bondRecordDateBusinessDays });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return { ...rest, bond: null };
  }
  if (value.priceYen > parsed.data.faceValueYen) ctx.addIssue({ code: "custom", path: ["priceYen"], message: msg("bonds.errors.aboveFace") });
  return { ...rest, bond: parsed.data };
}
