/** The one shape every catalog area follows: Japanese is written first, English is typed by it. */

type PluralCategory = Intl.LDMLPluralRule;

/** A message that depends on `{count}`: one text per plural category of the locale (Japanese has only `other`). */
export type Plural = { other: string } & Partial<Record<Exclude<PluralCategory, "other">, string>>;

export type Message = string | Plural;

/** True only for an object whose keys are all plural categories (a namespace may have an `other` key too). */
export type IsPlural<T> = T extends { other: string } ? (Exclude<keyof T, PluralCategory> extends never ? true : false) : false;

/** The Japanese catalog's shape with its texts widened: what the English (and any other) catalog must match. */
export type Shape<T> = T extends string ? string : IsPlural<T> extends true ? Plural : { [K in keyof T]: Shape<T[K]> };

const CATEGORIES: readonly string[] = ["zero", "one", "two", "few", "many", "other"] satisfies PluralCategory[];

export function isPlural(node: unknown): node is Plural {
  if (typeof node !== "object" || node === null) return false;
  const entries = Object.entries(node);
  return typeof (node as { other?: unknown }).other === "string" && entries.every(([key, value]) => CATEGORIES.includes(key) && typeof value === "string");
}
