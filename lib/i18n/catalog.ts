import { en, ja } from "./messages";
import { isPlural, type IsPlural, type Message, type Plural, type Shape } from "./shape";

export const LOCALES = ["ja", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ja";
export const LOCALE_COOKIE = "locale";

export type Messages = Shape<typeof ja>;

type Paths<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : IsPlural<T[K]> extends true ? `${Prefix}${K}` : Paths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type MessageKey = Paths<Messages>;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const catalogs: Record<Locale, Messages> = { ja, en };
const pluralRules: Record<Locale, Intl.PluralRules> = { ja: new Intl.PluralRules("ja"), en: new Intl.PluralRules("en") };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function lookup(messages: Messages, key: string): Message | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || isPlural(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" || isPlural(node) ? node : undefined;
}

/** Callers often pass `count` already formatted ("1,234"); the plural rule needs the number. */
function countOf(value: string | number | undefined): number {
  return typeof value === "number" ? value : Number(String(value ?? "").replace(/[^\d.-]/g, "") || Number.NaN);
}

/** A translate function for one locale; `{name}` placeholders are filled from vars, plurals chosen by `count`. */
export function translator(locale: Locale): Translate {
  const messages = catalogs[locale];
  const rules = pluralRules[locale];
  const pick = (plural: Plural, count: string | number | undefined) => plural[rules.select(countOf(count))] ?? plural.other;
  return (key, vars) => {
    const message = lookup(messages, key);
    const template = message === undefined ? key : typeof message === "string" ? message : pick(message, vars?.count);
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
  };
}

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}
