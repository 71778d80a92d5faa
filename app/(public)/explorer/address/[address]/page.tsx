import { notFound } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";

/** The demo stack's stand-in for a block explorer; live mode links to CHAIN_EXPLORER_URL instead. */
export default async function ExplorerAddressPage({ params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) notFound();
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-xl">
      <PageHeading title={t("explorer.title")} lead={t("explorer.lead")} />
      <Card>
        <p className="break-all font-mono text-sm">{address}</p>
      </Card>
    </div>
  );
}
