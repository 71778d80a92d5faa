import type { Locale } from "./catalog";

/**
 * A record's text in the reader's language: `localized(offering, "name", locale)` is nameJa or nameEn.
 * The record must have both fields, so a stem with only one language does not compile.
 */
export function localized<S extends string, T extends { [K in `${S}Ja` | `${S}En`]: unknown }>(record: T, stem: S, locale: Locale): T[`${S}Ja`] | T[`${S}En`] {
  return locale === "ja" ? record[`${stem}Ja`] : record[`${stem}En`];
}
