import "server-only";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { translator, type Locale } from "@/lib/i18n/catalog";
import { tokyoDateTimeInput } from "@/lib/projects/dates";
import { getRegister, listRegisterOfferings, registerCsv } from "./register";

/**
 * The register of one of the offerings of `issuerIds` (the first one when none is named) as a CSV
 * file; null for another issuer's offering. The export is audited.
 */
export async function exportRegister(options: { actorId: string; issuerIds: readonly string[]; offeringId?: string; asOf: Date; locale: Locale }) {
  const offerings = await listRegisterOfferings(options.issuerIds);
  const offering = options.offeringId ? offerings.find((row) => row.id === options.offeringId) : offerings[0];
  if (!offering) return null;
  const register = await getRegister(offering.id, options.asOf);
  await recordAudit(getDb(), {
    actorId: options.actorId,
    action: "register.exported",
    targetType: "offering",
    targetId: offering.id,
    detail: { asOf: options.asOf.toISOString(), holders: register.holders.length },
  });
  const stamp = tokyoDateTimeInput(options.asOf).replace(/[-:]/g, "").replace("T", "-");
  return {
    filename: `register-${offering.slug.replace(/[^a-z0-9-]/gi, "")}-${stamp}.csv`,
    csv: registerCsv(register, options.locale, translator(options.locale)),
  };
}
