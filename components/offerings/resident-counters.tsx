import type { Offering } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";

/** Residents' tranche and general sale counters, and the residents-only window (offering page). */
export function ResidentCounters(_props: { offering: Offering; t: Translate; locale: Locale }) {
  return null;
}
