import { withRole } from "@/lib/auth/route-guard";
import { translator } from "@/lib/i18n/catalog";
import { getLocale } from "@/lib/i18n/server";
import { reportForStaff } from "@/lib/settlement/access";
import { reportCsv } from "@/lib/settlement/csv";
import { fileName } from "@/lib/settlement/present";

export const dynamic = "force-dynamic";

/** One version of the settlement report as CSV (UTF-8 with BOM), for staff of the offering's issuer only. */
export const GET = withRole("staff", async (request, user, { params }: { params: Promise<{ id: string }> }) => {
  const found = await reportForStaff(user, (await params).id, new URL(request.url).searchParams.get("v"));
  if (!found?.report) return new Response("Not found", { status: 404 });
  const locale = await getLocale();
  const { figures } = found.report;
  return new Response(reportCsv(figures, found.report, translator(locale), locale), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName(figures, found.report.version, "csv", locale)}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
