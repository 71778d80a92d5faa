import { z } from "zod";
import { withRole } from "@/lib/auth/route-guard";
import { getLocale } from "@/lib/i18n/server";
import { packingListCsv } from "@/lib/perks/packing-list";
import { auditPackingList, perkOfferingForStaff, perkOfOffering } from "@/lib/perks/ui-queries";
import { downloadHeaders } from "@/lib/statements/format";

export const dynamic = "force-dynamic";

/** The perk's packing list (CSV, UTF-8 with BOM) for staff of the offering's issuer only; each download is audited. */
export const GET = withRole("staff", async (_request, user, { params }: { params: Promise<{ id: string; perkId: string }> }) => {
  const { id, perkId } = await params;
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(perkId).success) return new Response("Not found", { status: 404 });
  const offering = await perkOfferingForStaff(user, id);
  const perk = offering ? await perkOfOffering(offering.id, perkId) : null;
  if (!offering || !perk) return new Response("Not found", { status: 404 });
  const locale = await getLocale();
  const file = await packingListCsv(perk.id, locale, offering.id);
  if (!file) return new Response("Not found", { status: 404 });
  await auditPackingList({ perkId: perk.id, offeringId: offering.id, actorId: user.id, rows: file.rows, locale });
  return new Response(file.body, { headers: downloadHeaders("text/csv; charset=utf-8", file.filename) });
});
