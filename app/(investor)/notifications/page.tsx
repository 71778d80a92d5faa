import type { Metadata } from "next";
import Link from "next/link";
import { EmailPreferenceForm } from "@/components/projects/notification-forms";
import { ActionButton } from "@/components/ui/action-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDate } from "@/lib/i18n/format";
import { emailUpdatesEnabled, listNotifications } from "@/lib/notifications";
import { markAllReadAction, saveEmailPreferenceAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("notifications.title") };
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
        {items.map((item) => (
          <li key={item.id}>
            <Link
              href={`/projects/${item.projectSlug}#update-${item.updateId}`}
              className={`block rounded-2xl border bg-white p-4 shadow-sm hover:border-forest-600 ${item.readAt ? "border-stone-200" : "border-forest-600"}`}
            >
              <p className="text-xs text-stone-500">
                {item.readAt ? null : <span className="mr-2 rounded-full bg-forest-700 px-2 py-0.5 font-semibold text-white">{t("notifications.unread")}</span>}
                {item.publishedAt ? formatDate(item.publishedAt, locale) : null}
                {" · "}
                {t("notifications.newUpdate", { project: localized(item, "projectTitle", locale) })}
              </p>
              <p className="mt-1 font-semibold">{localized(item, "title", locale)}</p>
            </Link>
          </li>
        ))}
      </ul>
      <Card className="mt-8">
        <h2 className="mb-2 font-bold">{t("notifications.settings")}</h2>
        <EmailPreferenceForm action={saveEmailPreferenceAction} enabled={emailOn} m={messagesFor(locale).notifications} />
      </Card>
    </>
  );
}
