import "server-only";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { translator, type Locale } from "@/lib/i18n/catalog";
import { issuerIdsOf } from "@/lib/issuers/access";
import { tokyoDateTimeInput } from "@/lib/projects/dates";
import { toCsv } from "@/lib/register/csv";
import { allStaffOrders } from "./queries";
import type { StaffOrderFilters } from "./staff-search";

const COLUMNS = ["seq", "placedAt", "email", "offering", "units", "amountYen", "status", "orderId"] as const;

/**
 * Every order of the staff member's issuers that matches the search, as CSV (UTF-8 with BOM, for
 * Excel); who exported what, with the filters and the count, goes to the audit log.
 */
export async function exportStaffOrders(options: { actor: Pick<SessionUser, "id" | "role">; filters: StaffOrderFilters; locale: Locale; now?: Date }) {
  const { actor, filters, locale, now = new Date() } = options;
  const t = translator(locale);
  const issuerIds = await issuerIdsOf(actor);
  const rows = await allStaffOrders(issuerIds, filters);
  await recordAudit(getDb(), {
    actorId: actor.id,
    action: "orders.exported",
    targetType: "orders",
    detail: { filters: JSON.parse(JSON.stringify(filters)), issuerIds, rows: rows.length },
  });
  const stamp = tokyoDateTimeInput(now).replace(/[-:]/g, "").replace("T", "-");
  const header = COLUMNS.map((column) => t(`staffOrderSearch.columns.${column}`));
  const lines = rows.map(({ order, email, offering }) => [
    order.seq,
    tokyoDateTimeInput(order.createdAt).replace("T", " "),
    email,
    locale === "ja" ? offering.nameJa : offering.nameEn,
    order.units,
    order.amountYen,
    t(`orders.status.${order.status}`),
    order.id,
  ]);
  return { filename: `orders-${stamp}.csv`, csv: toCsv([header, ...lines]), rows: rows.length };
}
