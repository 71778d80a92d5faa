import { withRole } from "@/lib/auth/route-guard";
import { translator } from "@/lib/i18n/catalog";
import { getLocale } from "@/lib/i18n/server";
import { exportStaffOrders } from "@/lib/orders/export";
import { parseStaffOrderQuery, searchProblems, staffOrderParams } from "@/lib/orders/staff-search";

export const dynamic = "force-dynamic";

/** The staff orders search as CSV: every matching order of the staff member's issuers, not one page. */
export const GET = withRole("staff", async (request, user) => {
  const locale = await getLocale();
  const query = parseStaffOrderQuery(staffOrderParams(new URL(request.url).searchParams));
  if (!query.success) {
    const t = translator(locale);
    const problems = Object.values(searchProblems(query.error, t));
    return new Response([t("staffOrderSearch.invalid"), ...problems].join("\n"), { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const file = await exportStaffOrders({ actor: user, filters: query.data.filters, locale });
  return new Response(file.csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
