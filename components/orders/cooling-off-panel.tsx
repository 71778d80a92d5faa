import type { Order } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";

/** Until when the investor may cancel, and the cancel button with its confirmation (cooling-off). */
export function CoolingOffPanel(_props: { order: Order; isOwner: boolean; t: Translate; locale: Locale }) {
  return null;
}
