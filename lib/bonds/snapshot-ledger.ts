import "server-only";
import { sql } from "drizzle-orm";
import { getAddress, isAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { linkedWallets, wallets, type SnapshotMismatch } from "@/db/schema";
import { inArray } from "drizzle-orm";
import type { ChainHoldings } from "./snapshot-chain";

/** The ledger's side of a record-date snapshot: holdings as of a block, and their comparison with the chain's. */

export type LedgerHolding = { units: number; userId: string | null };

/**
 * Units per address in the ledger as of a block. Which address an entry names follows
 * unitsByAddress (lib/chain/holdings.ts), so units withdrawn to a linked wallet stay their holder's
 * (the withdrawal's `tokens_transferred` entries name that address); an entry's block is its
 * transaction's, else the one in its detail, else (no chain reference at all) its time against the
 * cutoff. Demo grants never reached the chain and are left out.
 */
export async function ledgerHoldingsAt(db: DbOrTx, chainId: number, offeringId: string, blockNumber: bigint, cutoffAt: Date): Promise<Map<Address, LedgerHolding>> {
  const rows = await db.execute<{ user_id: string | null; address: string | null; units: string }>(sql`
    with mined as (
      select lower(tx_hash) as hash, max(block_number) as block from chain_transactions
      where chain_id = ${chainId} and status = 'confirmed' and tx_hash is not null and block_number is not null
      group by 1
    ), entries as (
      select e.user_id, e.units, e.at,
        coalesce(case e.kind when 'tokens_allocated' then e.detail->>'to' when 'tokens_clawed_back' then e.detail->>'from'
          when 'tokens_transferred' then e.detail->>'address' when 'tokens_redeemed' then e.detail->>'from' end, w.address) as address,
        coalesce(m.block, case when e.detail->>'blockNumber' ~ '^[0-9]+$' then (e.detail->>'blockNumber')::bigint end) as block
      from ledger_entries e
      left join wallets w on w.user_id = e.user_id
      left join mined m on m.hash = lower(e.detail->>'txHash')
      where e.offering_id = ${offeringId}
        and e.kind in ('tokens_allocated', 'tokens_clawed_back', 'tokens_transferred', 'tokens_redeemed')
        and (e.detail->>'demo') is distinct from 'true'
    )
    select user_id, address, sum(units)::bigint as units from entries
    where case when block is null then at <= ${cutoffAt.toISOString()}::timestamptz else block <= ${blockNumber.toString()}::bigint end
    group by user_id, address`);
  const byAddress = new Map<Address, LedgerHolding & { best: number }>();
  for (const row of rows) {
    if (!row.address || !isAddress(row.address, { strict: false })) continue;
    const address = getAddress(row.address);
    const units = Number(row.units);
    const entry = byAddress.get(address) ?? { units: 0, userId: null, best: Number.NEGATIVE_INFINITY };
    entry.units += units;
    // Should two people's entries name one address, the holder is the one with the most units there.
    if (units > entry.best) Object.assign(entry, { userId: row.user_id, best: units });
    byAddress.set(address, entry);
  }
  return new Map([...byAddress].map(([address, { units, userId }]) => [address, { units, userId }]));
}

/**
 * The portal's users behind addresses the ledger does not name (a holder only the chain knows):
 * custodial wallets, and investors' linked wallets (an active link first), whose tokens are theirs.
 */
export async function walletOwners(db: DbOrTx, addresses: Address[]): Promise<Map<Address, string>> {
  if (addresses.length === 0) return new Map();
  const lowered = addresses.map((address) => address.toLowerCase());
  const [custodial, linked] = await Promise.all([
    db
      .select({ userId: wallets.userId, address: wallets.address })
      .from(wallets)
      .where(inArray(sql`lower(${wallets.address})`, lowered)),
    db
      .select({ userId: linkedWallets.userId, address: linkedWallets.address })
      .from(linkedWallets)
      .where(inArray(sql`lower(${linkedWallets.address})`, lowered))
      .orderBy(sql`${linkedWallets.status} = 'active'`, linkedWallets.linkedAt),
  ]);
  // Later rows win: an active link over an old one, a custodial wallet over both.
  return new Map([...linked, ...custodial].map((row) => [getAddress(row.address), row.userId]));
}

export function compareHoldings(chain: ChainHoldings, ledger: Map<Address, LedgerHolding>, owners: Map<Address, string>) {
  const mismatches: SnapshotMismatch[] = [];
  let supplyLedger = 0;
  for (const address of new Set([...chain.balances.keys(), ...ledger.keys()])) {
    const onChain = Number(chain.balances.get(address) ?? 0n);
    const inLedger = ledger.get(address)?.units ?? 0;
    supplyLedger += inLedger;
    if (onChain !== inLedger) mismatches.push({ address, userId: ledger.get(address)?.userId ?? owners.get(address) ?? null, chain: onChain, ledger: inLedger });
  }
  const holdings = [...chain.balances].map(([address, units]) => ({ address, userId: ledger.get(address)?.userId ?? owners.get(address) ?? null, units: Number(units) }));
  return { mismatches, supplyLedger, holdings };
}
