import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getAddress, isAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { forcedTransferRequests, ledgerEntries, users, wallets } from "@/db/schema";

/**
 * Which wallet holds a holder's units. A holder has one custodial wallet at a time, but after a
 * lost wallet is replaced their units of an offering stay at the old address until that
 * offering's forced transfer moves them; so the ledger, not the wallets table, says where units are.
 */

const TOKEN_KINDS = ["tokens_allocated", "tokens_clawed_back", "tokens_transferred", "tokens_redeemed"] as const;

/** The wallet a token ledger entry names (allocation `to`, clawback `from`, transfer `address`), else the holder's wallet. */
const ledgerAddress = sql<
  string | null
>`coalesce(case ${ledgerEntries.kind} when 'tokens_allocated' then ${ledgerEntries.detail}->>'to' when 'tokens_clawed_back' then ${ledgerEntries.detail}->>'from' when 'tokens_transferred' then ${ledgerEntries.detail}->>'address' when 'tokens_redeemed' then ${ledgerEntries.detail}->>'from' end, ${wallets.address})`;

export type AddressHolding = { userId: string | null; address: Address; units: number };

/** Units per holder and address of one offering, from the ledger (zero balances included). */
export async function unitsByAddress(db: DbOrTx, offeringId: string, userId?: string): Promise<AddressHolding[]> {
  const rows = await db
    .select({ userId: ledgerEntries.userId, address: ledgerAddress, units: sql<string>`sum(${ledgerEntries.units})` })
    .from(ledgerEntries)
    .leftJoin(wallets, eq(wallets.userId, ledgerEntries.userId))
    .where(and(eq(ledgerEntries.offeringId, offeringId), inArray(ledgerEntries.kind, [...TOKEN_KINDS]), userId ? eq(ledgerEntries.userId, userId) : undefined))
    .groupBy(ledgerEntries.userId, ledgerAddress);
  const merged = new Map<string, AddressHolding>();
  for (const row of rows) {
    if (!row.address || !isAddress(row.address, { strict: false })) continue;
    const address = getAddress(row.address);
    const key = `${row.userId}:${address}`;
    const entry = merged.get(key) ?? { userId: row.userId, address, units: 0 };
    entry.units += Number(row.units);
    merged.set(key, entry);
  }
  return [...merged.values()];
}

/** Where units allocated to `address` are now: follows the offering's completed forced transfers. */
export async function unitsNowAt(db: DbOrTx, offeringId: string, address: string): Promise<Address> {
  let current = getAddress(address);
  for (let hop = 0; hop < 8; hop++) {
    const [moved] = await db
      .select({ to: forcedTransferRequests.toAddress })
      .from(forcedTransferRequests)
      .where(and(eq(forcedTransferRequests.offeringId, offeringId), eq(forcedTransferRequests.status, "done"), sql`lower(${forcedTransferRequests.fromAddress}) = ${current.toLowerCase()}`))
      .orderBy(desc(forcedTransferRequests.decidedAt))
      .limit(1);
    if (!moved?.to) break;
    current = getAddress(moved.to);
  }
  return current;
}

export type Holder = { userId: string; email: string | null; current: Address | null; holdings: AddressHolding[] };

/**
 * A holder of the offering named by email or by a wallet address (current or replaced) that the
 * ledger shows holding its units; null when it names nobody who holds or held them.
 */
export async function resolveHolder(db: DbOrTx, offeringId: string, input: string): Promise<Holder | null> {
  const text = input.trim();
  let userId: string | null = null;
  if (isAddress(text, { strict: false })) {
    const address = getAddress(text);
    userId = (await unitsByAddress(db, offeringId)).find((row) => row.address === address)?.userId ?? null;
    if (!userId) {
      const [owner] = await db.select({ userId: wallets.userId }).from(wallets).where(sql`lower(${wallets.address}) = ${address.toLowerCase()}`);
      userId = owner?.userId ?? null;
    }
  } else {
    const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${text.toLowerCase()}`);
    userId = user?.id ?? null;
  }
  if (!userId) return null;
  const holdings = await unitsByAddress(db, offeringId, userId);
  if (holdings.length === 0) return null;
  const [person] = await db.select({ email: users.email, address: wallets.address }).from(users).leftJoin(wallets, eq(wallets.userId, users.id)).where(eq(users.id, userId));
  return { userId, email: person?.email ?? null, current: person?.address ? getAddress(person.address) : null, holdings };
}
