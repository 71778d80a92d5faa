import { withRole } from "@/lib/auth/route-guard";
import { isLocale, translator } from "@/lib/i18n/catalog";
import { getLocale } from "@/lib/i18n/server";
import { downloadHeaders } from "@/lib/statements/format";
import { statementFileName, yearCsv } from "@/lib/statements/year-csv";
import { parseStatementYear, yearStatement } from "@/lib/statements/year-statement";

export const dynamic = "force-dynamic";

/** The signed-in investor's statement for a year as CSV (UTF-8 with BOM), headed in the reader's language (`?lang=`). */
export const GET = withRole("investor", async (request, user, { params }: { params: Promise<{ year: string }> }) => {
  const year = parseStatementYear((await params).year);
  if (year === null) return new Response("Not found", { status: 404 });
  const lang = new URL(request.url).searchParams.get("lang");
  const locale = isLocale(lang) ? lang : await getLocale();
  const csv = yearCsv(await yearStatement(user.id, year, locale), translator(locale), locale);
  return new Response(csv, { headers: downloadHeaders("text/csv; charset=utf-8", statementFileName(year, "csv")) });
});
