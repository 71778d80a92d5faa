import type { Locale } from "@/lib/i18n/catalog";
import { PREFECTURES } from "@/lib/onboarding/prefectures";

/** The 47 prefectures as choices, by the code profiles store ("01".."47"). */
export function prefectureOptions(locale: Locale): { value: string; label: string }[] {
  return PREFECTURES.map(([code, ja, en]) => ({ value: code, label: locale === "ja" ? ja : en }));
}
