import { z } from "zod";
import { LOCALES } from "@/lib/i18n/catalog";

/** A same-site path to return to; anything else (another site, nothing) becomes the fallback. */
export function returnPath(fallback: string) {
  return z
    .string()
    .optional()
    .transform((value) => (value && /^\/(?![\/\\])/.test(value) ? value : fallback));
}

/** An email address as people type it: trimmed, checked, lower-cased. */
export const emailField = z
  .string({ error: "errors.required" })
  .trim()
  .min(1, { error: "errors.required" })
  .max(254, { error: "errors.tooLong" })
  .pipe(z.email({ error: "errors.email" }))
  .transform((value) => value.toLowerCase());

export const signInSchema = z.object({
  email: emailField,
  callbackUrl: returnPath("/dashboard"),
});

export const localeSchema = z.object({ locale: z.enum(LOCALES), returnTo: returnPath("/") });
