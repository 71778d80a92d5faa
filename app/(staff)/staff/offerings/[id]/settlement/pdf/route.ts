import { withRole } from "@/lib/auth/route-guard";
import { isLocale } from "@/lib/i18n/catalog";
import { getLocale } from "@/lib/i18n/server";
import { reportForStaff } from "@/lib/settlement/access";
import { reportPdf } from "@/lib/settlement/pdf";
import { fileName } from "@/lib/settlement/present";

export const dynamic = "force-dynamic";

/** One version of the settlement report as a PDF in Japanese (`?lang=en`: English), for staff of the offering's issuer only. */
export const GET = withRole("staff", async (request, user, { params }: { params: Promise<{ id: string }> }) => {
  const query = new URL(request.url).searchParams;
  const found = await reportForStaff(user, (await params).id, query.get("v"));
  if (!found?.report) return new Response("Not found", { status: 404 });
  const lang = query.get("lang");
  const locale = isLocale(lang) ? lang : await getLocale();
  const pdf = await reportPdf(found.report.figures, found.report, locale);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${fileName(found.report.figures, found.report.version, "pdf", locale)}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
