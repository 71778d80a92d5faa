import type { Locale } from "@/lib/i18n/catalog";
import { PREFECTURES } from "@/lib/onboarding/prefectures";

/** The 47 prefectures as choices, by the code profiles store ("01".."47"). */
export function prefectureOptions(locale: Locale): { value: string; label: string }[] {
  return PREFECTURES.map(([code, ja, en]) => ({ value: code, label: locale === "ja" ? ja : en }));
}

/** A prefecture code's name in the reader's language ("" when unknown). */
function prefectureName(code: string | null | undefined, locale: Locale): string {
  const found = PREFECTURES.find(([value]) => value === code);
  return found ? (locale === "ja" ? found[1] : found[2]) : "";
}
