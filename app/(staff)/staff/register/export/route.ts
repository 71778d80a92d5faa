import { withRole } from "@/lib/auth/route-guard";
import { issuerIdsOf } from "@/lib/issuers/access";
import { getLocale } from "@/lib/i18n/server";
import { exportRegister } from "@/lib/register/export";
import { registerQuery } from "@/lib/register/params";

export const dynamic = "force-dynamic";

/** The register as CSV (UTF-8 with BOM for Excel), for staff of the offering's issuer only (404 for another's). */
export const GET = withRole("staff", async (request, user) => {
  const query = registerQuery(new URL(request.url).searchParams);
  if (!query.success) return new Response("Bad request", { status: 400 });
  const file = await exportRegister({ actorId: user.id, issuerIds: await issuerIdsOf(user), offeringId: query.data.offering, asOf: query.data.at ?? new Date(), locale: await getLocale() });
  if (!file) return new Response("Not found", { status: 404 });
  return new Response(file.csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
