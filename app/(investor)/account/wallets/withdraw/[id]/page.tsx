import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { PageHeading } from "@/components/ui/card";
import { WithdrawalStatusCard } from "@/components/withdrawals/withdrawal-status";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { withdrawalOf } from "@/lib/withdrawals/queries";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("withdrawals.status.heading") };
}

/** One withdrawal's status for its investor (another's is not found), following itself while it moves. */
export default async function WithdrawalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/account/wallets/withdraw/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, withdrawal] = await Promise.all([getTranslator(), withdrawalOf(user.id, id)]);
  if (!withdrawal) notFound();
  const moving = withdrawal.status === "requested" || withdrawal.status === "submitted";
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/account/wallets/withdraw" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("withdrawals.title")}
      </Link>
      <PageHeading title={t("withdrawals.status.heading")} />
      <WithdrawalStatusCard withdrawal={withdrawal} locale={locale} t={t} />
      {moving ? <AutoRefresh everyMs={3000} /> : null}
    </div>
  );
}
