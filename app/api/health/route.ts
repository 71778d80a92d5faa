import { checkHealth } from "@/lib/health/check";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth();
  return Response.json(report, { status: report.checks.database.up ? 200 : 503, headers: { "cache-control": "no-store" } });
}
