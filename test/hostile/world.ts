import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { identityDocuments, ledgerEntries, offerings } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { twoIssuerWorld } from "@/test/actions/attack-world";
import { uploadStorage } from "@/lib/uploads/storage";
import { PNG_1x1 } from "@/test/images";
import { approvedInvestor } from "@/test/orders/harness";
import type { IdPools } from "./form-shape";

/** Who calls: nobody, an investor, the investor whose things are attacked, staff of each issuer, an admin. */
export type Caller = "anonymous" | "investor" | "otherInvestor" | "staffOfOtherIssuer" | "staffOfIssuer" | "admin";

/** The table whose ids a field of that name gets, when the target's entry does not say. */
const POOL_BY_FIELD: Record<string, string> = {
  offeringId: "offerings",
  orderId: "orders",
  voteId: "votes",
  optionId: "vote_options",
  issuerId: "villages",
  exceptionId: "payment_exceptions",
  documentId: "identity_documents",
  documentIds: "legal_documents",
  disclosureId: "legal_documents",
  projectId: "projects",
  updateId: "project_updates",
  spendingId: "project_spending",
  perkId: "perks",
  claimId: "perk_claims",
  linkedWalletId: "linked_wallets",
  chainTransactionId: "chain_transactions",
  requestId: "forced_transfer_requests",
  runId: "coupon_runs",
  paymentId: "coupon_payments",
  userId: "users",
};

export async function idsOf(table: string): Promise<string[]> {
  const rows = await getDb().execute<{ id: string }>(sql`select id::text as id from ${sql.identifier(table)} order by id limit 20`);
  return rows.map((row) => row.id);
}

/** The pools of one target: its own overrides first, then the defaults by field name. */
export async function idPools(overrides: Record<string, string> = {}): Promise<IdPools> {
  const tables = { ...POOL_BY_FIELD, ...overrides };
  const pools: Record<string, string[]> = {};
  for (const [field, table] of Object.entries(tables)) pools[field] = await idsOf(table);
  return { ...pools, any: [...new Set(Object.values(pools).flat())] };
}

/**
 * The attack world (test/actions/attack-world.ts) plus an investor who completed onboarding. Its
 * order of issuer B is made to stand paid in the ledger too, so the invariants hold before the run.
 */
export async function hostileWorld() {
  const world = await twoIssuerWorld();
  const order = (await getDb().execute<{ units: number; amount_yen: number }>(sql`select units, amount_yen from orders where id = ${world.orderB}`))[0]!;
  await getDb()
    .update(offerings)
    .set({ soldUnits: sql`${offerings.soldUnits} + ${order.units}` })
    .where(eq(offerings.id, world.offeringB.id));
  await getDb().insert(ledgerEntries).values({ kind: "yen_received", offeringId: world.offeringB.id, orderId: world.orderB, userId: world.holderB.id, yen: order.amount_yen });
  const investor = await approvedInvestor();
  // The harness's document names no stored file; this world's has a real one, so viewing it is a real read.
  const storageKey = await uploadStorage().put("identity", PNG_1x1, "image/png");
  await getDb().update(identityDocuments).set({ storageKey }).where(eq(identityDocuments.userId, investor.id));
  const callers: Record<Caller, SessionUser | null> = {
    anonymous: null,
    investor,
    otherInvestor: world.holderB,
    staffOfOtherIssuer: world.staffB,
    staffOfIssuer: world.staffA,
    admin: world.admin,
  };
  return { ...world, investor, callers };
}
