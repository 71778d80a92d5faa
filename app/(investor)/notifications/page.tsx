import type { Metadata } from "next";
import Link from "next/link";
import { EmailPreferenceForm } from "@/components/projects/notification-forms";
import { ActionButton } from "@/components/ui/action-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { messagesFor, type Locale, type Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime, formatYen } from "@/lib/i18n/format";
import { emailUpdatesEnabled, listNotifications } from "@/lib/notifications";
import { holderNoticeLine, isHolderNotice } from "@/lib/notifications/holder-notices";
import { couponNoticeLine, isCouponNotice, noticePath } from "@/lib/notifications/mail";
import { markAllReadAction, saveEmailPreferenceAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("notifications.title") };
}

type Item = Awaited<ReturnType<typeof listNotifications>>[number];

/** The notice's heading and the line under it, by kind. */
function noticeText(item: Item, t: Translate, locale: Locale): { heading: string; title: string; note?: string } {
  if (item.kind === "update") {
    return { heading: t("notifications.newUpdate", { project: localized(item, "projectTitle", locale) ?? "" }), title: localized(item, "title", locale) ?? "" };
  }
  const { detail } = item;
  const heading = t(`notices.kind.${item.kind}`);
  if (item.kind === "identity_approved") return { heading, title: t("notices.identityApproved") };
  if (item.kind === "identity_rejected") return { heading, title: t("notices.resubmit"), note: t("notices.reason", { reason: detail.reason ?? "" }) };
  if (isCouponNotice(item.kind)) return { heading, title: couponNoticeLine(item.kind, detail, t, locale) };
  if (isHolderNotice(item.kind)) return { heading, title: holderNoticeLine(item.kind, detail, t, locale) };
  const offering = (locale === "ja" ? detail.offeringNameJa : detail.offeringNameEn) ?? "";
  return { heading, title: t("notices.orderSummary", { offering, units: t("orders.units", { count: detail.units ?? 0 }), amount: formatYen(detail.amountYen ?? 0), seq: item.orderSeq ?? "" }) };
}

export default async function NotificationsPage() {
  const user = await requireUser("/notifications");
  const [{ locale, t }, items, emailOn] = await Promise.all([getTranslator(), listNotifications(user.id), emailUpdatesEnabled(user.id)]);
  const unread = items.filter((item) => item.readAt === null).length;
  return (
    <>
      <PageHeading title={t("notifications.title")} lead={t("notifications.lead")} />
      {unread > 0 ? (
        <div className="mb-4">
          <ActionButton action={markAllReadAction} label={t("notifications.markAllRead")} />
        </div>
      ) : null}
      {items.length === 0 ? <p className="text-stone-600">{t("notifications.empty")}</p> : null}
      <ul className="space-y-3" data-testid="notifications">
        {items.map((item) => {
          const { heading, title, note } = noticeText(item, t, locale);
          const at = item.kind === "update" ? (item.publishedAt ?? item.createdAt) : item.createdAt;
          return (
            <li key={item.id} data-kind={item.kind} className={`rounded-2xl border bg-white p-4 shadow-sm ${item.readAt ? "border-stone-200" : "border-forest-600"}`}>
              <Link href={noticePath({ ...item, slug: item.projectSlug })} className="group block">
                <p className="text-xs text-stone-500">
                  {item.readAt ? null : <span className="mr-2 rounded-full bg-forest-700 px-2 py-0.5 font-semibold text-white">{t("notifications.unread")}</span>}
                  <time dateTime={at.toISOString()}>{formatDateTime(at, locale)}</time>
                  {" · "}
                  {heading}
                </p>
                <p className="mt-1 font-semibold group-hover:text-forest-700 group-hover:underline">{title}</p>
              </Link>
              {note ? <p className="mt-1 text-sm text-stone-700">{note}</p> : null}
              {item.detail.explorerUrl ? (
                <a href={item.detail.explorerUrl} className="mt-1 inline-block text-sm text-forest-700 hover:underline" data-testid="notice-transaction">
                  {t("notices.viewTransaction")}
                </a>
              ) : null}
            </li>
          );
        })}
      </ul>
      <Card className="mt-8">
        <h2 className="mb-2 font-bold">{t("notifications.settings")}</h2>
        <EmailPreferenceForm action={saveEmailPreferenceAction} enabled={emailOn} m={messagesFor(locale).notifications} />
        <p className="mt-3 text-xs text-stone-500">{t("notices.alwaysEmailed")}</p>
      </Card>
    </>
  );
}
