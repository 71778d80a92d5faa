import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { LOCALES } from "@/lib/i18n/catalog";

/** A same-site path to return to; anything else (another site, nothing) becomes the fallback. */
function returnPath(fallback: string) {
  return z
    .string()
    .optional()
    .transform((value) => (value && /^\/(?![/\\])/.test(value) ? value : fallback));
}

/** An email address as people type it: trimmed, checked, lower-cased. */
export const emailField = z
  .string({ error: msg("errors.required") })
  .trim()
  .min(1, { error: msg("errors.required") })
  .max(254, { error: msg("errors.tooLong") })
  .pipe(z.email({ error: msg("errors.email") }))
  .transform((value) => value.toLowerCase());

export const signInSchema = z.object({
  email: emailField,
  callbackUrl: returnPath("/dashboard"),
});

export const localeSchema = z.object({ locale: z.enum(LOCALES), returnTo: returnPath("/") });
