import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getLocale } from "@/lib/i18n/server";
import { exportRegister } from "@/lib/register/export";
import { registerQuery } from "@/lib/register/params";

export const dynamic = "force-dynamic";

/** The register as CSV (UTF-8 with BOM for Excel), staff only. */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return new Response("Unauthorized", { status: 401 });
  if (!hasRole(user.role, "staff")) return new Response("Forbidden", { status: 403 });
  const query = registerQuery(new URL(request.url).searchParams);
  if (!query.success) return new Response("Bad request", { status: 400 });
  const file = await exportRegister({ actorId: user.id, offeringId: query.data.offering, asOf: query.data.at ?? new Date(), locale: await getLocale() });
  if (!file) return new Response("Not found", { status: 404 });
  return new Response(file.csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
