import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { getExplorerTransaction, internalExplorerEnabled, isHash } from "@/lib/chain/explorer";
import { formatNumber } from "@/lib/i18n/format";
import { getTranslator } from "@/lib/i18n/server";
import { chainKindKey } from "@/lib/chain/kinds";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("chain.explorer.txTitle") };
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-4">
      <dt className="text-xs font-medium text-stone-500">{label}</dt>
      <dd className="break-all text-sm sm:col-span-3">{children}</dd>
    </div>
  );
}

const addressLink = (address: string) => (
  <Link href={`/explorer/address/${address}`} className="font-mono text-forest-700 hover:underline">
    {address}
  </Link>
);

/** The dev stack's transaction page: what the node says, and what the portal's journal says. */
export default async function ExplorerTxPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  if (!internalExplorerEnabled() || !isHash(hash)) notFound();
  const [{ locale, t }, tx] = await Promise.all([getTranslator(), getExplorerTransaction(hash)]);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeading title={t("chain.explorer.txTitle")} lead={t("chain.explorer.lead")} />
      <Card>
        {!tx ? (
          <>
            <p className="break-all font-mono text-sm">{hash}</p>
            <p className="mt-2 text-sm text-stone-600" data-testid="explorer-tx-missing">
              {t("chain.explorer.notFound")}
            </p>
          </>
        ) : (
          <dl className="divide-y divide-stone-100">
            <Row label={t("chain.explorer.hash")}>
              <span className="font-mono">{tx.hash}</span>
            </Row>
            <Row label={t("chain.explorer.result")}>
              <span data-testid="explorer-tx-status">{t(`chain.explorer.resultValue.${tx.status}`)}</span>
            </Row>
            <Row label={t("chain.explorer.block")}>{tx.blockNumber === null ? "—" : formatNumber(tx.blockNumber, locale)}</Row>
            <Row label={t("chain.explorer.from")}>{addressLink(tx.from)}</Row>
            <Row label={t("chain.explorer.to")}>{tx.to ? addressLink(tx.to) : "—"}</Row>
            {tx.createdAddress ? <Row label={t("chain.explorer.created")}>{addressLink(tx.createdAddress)}</Row> : null}
            <Row label={t("chain.explorer.nonce")}>{tx.nonce}</Row>
            <Row label={t("chain.explorer.gasUsed")}>{tx.gasUsed === null ? "—" : formatNumber(Number(tx.gasUsed), locale)}</Row>
            {tx.call ? (
              <Row label={t("chain.explorer.call")}>
                <span className="font-mono">
                  {tx.call.name}({tx.call.args.join(", ")})
                </span>
              </Row>
            ) : null}
            {tx.events.length > 0 ? (
              <Row label={t("chain.explorer.events")}>
                <ul className="space-y-1 font-mono text-xs">
                  {tx.events.map((event, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a mined transaction's logs never change order
                    <li key={i}>
                      {event.name}({event.args.join(", ")})
                    </li>
                  ))}
                </ul>
              </Row>
            ) : null}
            {tx.journal ? (
              <Row label={t("chain.explorer.journal")}>
                {t(`chain.explorer.kind.${chainKindKey(tx.journal.kind)}`)} · {t(`chain.explorer.txStatus.${tx.journal.status}`)}
                {tx.journal.error ? <span className="block text-xs text-red-700">{tx.journal.error}</span> : null}
              </Row>
            ) : null}
          </dl>
        )}
      </Card>
    </div>
  );
}
