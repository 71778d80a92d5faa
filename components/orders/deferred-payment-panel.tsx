import type { Order } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";

/** Konbini voucher or bank account to pay to, with the deadline (konbini and bank-transfer orders). */
export function DeferredPaymentPanel(_props: { order: Order; isOwner: boolean; t: Translate; locale: Locale }) {
  return null;
}
