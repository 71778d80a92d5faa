import { z } from "zod";
import { withRole } from "@/lib/auth/route-guard";
import { downloadTransferFile } from "@/lib/coupons/transfer-file";
import { translator } from "@/lib/i18n/catalog";
import { downloadHeaders } from "@/lib/statements/format";
import { getLocale } from "@/lib/i18n/server";
import { offeringForStaff } from "@/lib/issuers/access";

export const dynamic = "force-dynamic";

/** The run's Zengin transfer file (Shift_JIS), for staff of the offering's issuer only; each download is audited. */
export const GET = withRole("staff", async (_request, user, { params }: { params: Promise<{ id: string; runId: string }> }) => {
  const { id, runId } = await params;
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(runId).success) return new Response("Not found", { status: 404 });
  const offering = await offeringForStaff(user, id);
  if (!offering) return new Response("Not found", { status: 404 });
  const file = await downloadTransferFile({ offeringId: offering.id, runId, actorId: user.id });
  if (!file.ok) {
    if (file.error === "notFound") return new Response("Not found", { status: 404 });
    const t = translator(await getLocale());
    const message = file.error === "names" ? t("coupons.errors.names", { holders: file.holders.join(", ") }) : t(`coupons.errors.${file.error}`);
    return new Response(message, { status: 409, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "private, no-store" } });
  }
  // The name comes from the offering's slug: downloadHeaders keeps only safe characters in the header.
  return new Response(new Uint8Array(file.bytes), { headers: downloadHeaders("text/plain; charset=Shift_JIS", file.fileName) });
});
