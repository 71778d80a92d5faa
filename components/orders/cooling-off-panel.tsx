import { cancelCoolingOffAction } from "@/app/(investor)/orders/[id]/cooling-off-actions";
import { Card } from "@/components/ui/card";
import type { Order } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDate, formatYen } from "@/lib/i18n/format";
import { coolingOffView } from "@/lib/orders/cooling-off/state";
import { CoolingOffCancel } from "./cooling-off-cancel";

type Props = { order: Order; isOwner: boolean; t: Translate; locale: Locale; now?: Date };

/** Until when the investor may cancel, and the cancel button with its confirmation (cooling-off). */
export function CoolingOffPanel({ order, isOwner, t, locale, now = new Date() }: Props) {
  const view = coolingOffView(order, now);
  if (view.kind === "none") return null;
  // Staff reading the order see what happened, never the investor's button.
  if (!isOwner && view.kind !== "cancelled") return null;
  // A bank transfer cancelled part-paid: what arrived goes back.
  const received = order.paymentMethod === "bank_transfer" && order.receivedYen > 0 ? formatYen(order.receivedYen) : null;
  return (
    <Card>
      <section aria-labelledby="cooling-off-title" data-testid="cooling-off-panel">
        <h2 id="cooling-off-title" className="font-bold">
          {t("coolingOff.title")}
        </h2>
        {view.kind === "cancelled" ? (
          <p role="status" className="mt-2 text-sm" data-testid="cooling-off-status">
            {t("coolingOff.status.cancelledOn", { date: formatDate(view.at, locale) })}
            {locale === "ja" ? "" : " "}
            {view.phase === "released" && received ? t("coolingOff.status.releasedPartlyPaid", { received }) : t(`coolingOff.status.${view.phase}`)}
          </p>
        ) : view.kind === "ended" ? (
          <p className="mt-2 text-sm text-stone-600" data-testid="cooling-off-status">
            {t("coolingOff.ended", { date: formatCalendarDate(view.lastDay, locale) })}
          </p>
        ) : view.kind === "issuer" ? (
          <p className="mt-2 text-sm" data-testid="cooling-off-status">
            {t("coolingOff.issuer", { date: formatCalendarDate(view.lastDay, locale) })}
          </p>
        ) : (
          <>
            <p className="mt-2 text-sm">{t("coolingOff.until", { date: formatCalendarDate(view.lastDay, locale) })}</p>
            <p className="mt-1 text-xs text-stone-500">{t("coolingOff.untilLead")}</p>
            <CoolingOffCancel
              action={cancelCoolingOffAction}
              orderId={order.id}
              text={{
                cancel: t("coolingOff.cancel"),
                heading: t("coolingOff.confirm.heading"),
                points: view.paid
                  ? [
                      t(order.paymentMethod === "card" ? "coolingOff.confirm.refundCard" : "coolingOff.confirm.refundDeferred"),
                      t("coolingOff.confirm.tokens"),
                      t("coolingOff.confirm.units"),
                      t("coolingOff.confirm.final"),
                    ]
                  : [unpaidPoint(order, received, t), t("coolingOff.confirm.units"), t("coolingOff.confirm.final")],
                yes: t("coolingOff.confirm.yes"),
                back: t("coolingOff.confirm.back"),
              }}
            />
          </>
        )}
      </section>
    </Card>
  );
}

/** What cancelling an unpaid order does to its payment: the voucher or the account stops, or what part of a transfer arrived goes back. */
function unpaidPoint(order: Order, received: string | null, t: Translate): string {
  if (received) return t("coolingOff.confirm.partlyPaid", { received });
  if (order.paymentMethod === "konbini") return t("coolingOff.confirm.unpaidKonbini");
  if (order.paymentMethod === "bank_transfer") return t("coolingOff.confirm.unpaidBank");
  return t("coolingOff.confirm.unpaid");
}
