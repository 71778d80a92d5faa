import { withRole } from "@/lib/auth/route-guard";
import { isLocale } from "@/lib/i18n/catalog";
import { downloadHeaders } from "@/lib/statements/format";
import { statementFileName } from "@/lib/statements/year-csv";
import { yearPdf } from "@/lib/statements/year-pdf";
import { parseStatementYear, yearStatement } from "@/lib/statements/year-statement";

export const dynamic = "force-dynamic";

/** The signed-in investor's statement for a year from 2020 to this year, as a PDF in Japanese (`?lang=en`: English). */
export const GET = withRole("investor", async (request, user, { params }: { params: Promise<{ year: string }> }) => {
  const year = parseStatementYear((await params).year);
  if (year === null) return new Response("Not found", { status: 404 });
  const lang = new URL(request.url).searchParams.get("lang");
  const locale = isLocale(lang) ? lang : "ja";
  const pdf = await yearPdf(await yearStatement(user.id, year, locale), locale);
  return new Response(new Uint8Array(pdf), { headers: downloadHeaders("application/pdf", statementFileName(year, "pdf")) });
});
