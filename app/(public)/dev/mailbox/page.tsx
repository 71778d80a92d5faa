import { notFound } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { env } from "@/lib/env";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { listDevMailbox } from "@/lib/mail";

/** Dev-only: the mail the embedded stack would have sent. Absent in live mode. */
export default async function DevMailboxPage() {
  if (!env().isDemo) notFound();
  const [{ locale, t }, mails] = await Promise.all([getTranslator(), listDevMailbox()]);
  return (
    <>
      <PageHeading title={t("devMailbox.title")} lead={t("devMailbox.lead")} />
      {mails.length === 0 ? <p className="text-stone-600">{t("devMailbox.empty")}</p> : null}
      <ul className="space-y-3">
        {mails.map((mail) => (
          <li key={mail.id}>
            <Card>
              <p className="text-xs text-stone-500">
                {formatDateTime(mail.sentAt, locale)} · {t("devMailbox.to")}: <span data-testid="mail-to">{mail.to}</span>
              </p>
              <p className="mt-1 font-semibold">{mail.subject}</p>
              {mail.link ? (
                <a href={mail.link} className="mt-2 inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline" data-testid="mail-link">
                  {t("devMailbox.open")} →
                </a>
              ) : (
                <pre className="mt-2 whitespace-pre-wrap text-sm text-stone-700">{mail.text}</pre>
              )}
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
