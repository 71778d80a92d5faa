import "server-only";
import { and, desc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { BaseError, getAddress, isAddress, type Address } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, recordSnapshots, snapshotHoldings, wallets, type BondTerms, type Offering, type RecordSnapshot, type SnapshotMismatch } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { classifyChainError } from "@/lib/chain/errors";
import { approvedBondOf } from "@/lib/offerings/public-view";
import { isValidDate } from "./calendar";
import { bondSchedule, type BondPayment } from "./schedule";
import { chainHoldingsAt, type ChainHoldings, type SnapshotBase } from "./snapshot-chain";
import { getBondTerms } from "./terms";

/**
 * Record-date snapshots: who holds a bond at the end of its record date (Tokyo), and so is owed
 * the payment. Taken by block number, not by checkpoints in the contract, so deployed tokens need
 * nothing new: the snapshot block is the last one whose timestamp is before the cutoff (binary
 * search over block timestamps), balances are folded from the token's Transfer logs up to it (from
 * the last frozen snapshot, or the deployment) and must add up to the token's totalSupply there.
 * The ledger as of that block (token entries whose transaction was mined at or before it) must
 * then agree per address; any difference is a mismatch naming each holder, which stops the coupon
 * run until staff fix the cause and take it again. A frozen snapshot is final.
 */

export type SnapshotOutcome = { status: "frozen" | "mismatch" | "error" | "not_due" | "already_frozen"; snapshotId: string | null };

const DAY_MS = 86_400_000;

/** The end of the record date in Tokyo (UTC+9, no daylight saving): the next day at 00:00 JST. */
export function recordCutoff(recordDate: string): Date {
  if (!isValidDate(recordDate)) throw new Error(`not a calendar date: ${recordDate}`);
  return new Date(Date.parse(`${recordDate}T00:00:00+09:00`) + DAY_MS);
}

/** The bond terms a second staff member approved (the frozen copy while an edit waits), or null. */
async function approvedBondTerms(offering: Offering, db: DbOrTx = getDb()): Promise<BondTerms | null> {
  if (offering.kind !== "municipal_bond" || offering.approvedRevision === null) return null;
  const frozen = approvedBondOf(offering);
  return frozen === undefined ? getBondTerms(offering.id, db) : frozen;
}

export async function frozenSnapshot(offeringId: string, paymentDate: string, db: DbOrTx = getDb()): Promise<RecordSnapshot | null> {
  const [row] = await db
    .select()
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.paymentDate, paymentDate), eq(recordSnapshots.status, "frozen")));
  return row ?? null;
}

/** The newest snapshot of the payment, whatever its status. */
export async function latestSnapshot(offeringId: string, paymentDate: string, db: DbOrTx = getDb()): Promise<RecordSnapshot | null> {
  const [row] = await db
    .select()
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.paymentDate, paymentDate)))
    .orderBy(desc(recordSnapshots.takenAt))
    .limit(1);
  return row ?? null;
}

/** The newest frozen snapshot of the offering before this cutoff: logs are folded on from its block. */
async function baseSnapshot(db: DbOrTx, offeringId: string, cutoffAt: Date): Promise<SnapshotBase | null> {
  const [base] = await db
    .select({ id: recordSnapshots.id, blockNumber: recordSnapshots.blockNumber })
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.status, "frozen"), lt(recordSnapshots.cutoffAt, cutoffAt), isNotNull(recordSnapshots.blockNumber)))
    .orderBy(desc(recordSnapshots.cutoffAt))
    .limit(1);
  if (!base) return null;
  const rows = await db.select({ address: snapshotHoldings.address, units: snapshotHoldings.units }).from(snapshotHoldings).where(eq(snapshotHoldings.snapshotId, base.id));
  return { blockNumber: BigInt(base.blockNumber!), balances: new Map(rows.map((row) => [getAddress(row.address), BigInt(row.units)])) };
}

type LedgerHolding = { units: number; userId: string | null };

/**
 * Units per address in the ledger as of a block. Which address an entry names follows
 * unitsByAddress (lib/chain/holdings.ts); an entry's block is its transaction's, else the one in
 * its detail, else (no chain reference at all) its time against the cutoff. Demo grants never
 * reached the chain and are left out.
 */
async function ledgerHoldingsAt(db: DbOrTx, chainId: number, offeringId: string, blockNumber: bigint, cutoffAt: Date): Promise<Map<Address, LedgerHolding>> {
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

/** The portal's users behind addresses the ledger does not name (a holder only the chain knows). */
async function walletOwners(db: DbOrTx, addresses: Address[]): Promise<Map<Address, string>> {
  if (addresses.length === 0) return new Map();
  const rows = await db
    .select({ userId: wallets.userId, address: wallets.address })
    .from(wallets)
    .where(
      inArray(
        sql`lower(${wallets.address})`,
        addresses.map((address) => address.toLowerCase()),
      ),
    );
  return new Map(rows.map((row) => [getAddress(row.address), row.userId]));
}

function compare(chain: ChainHoldings, ledger: Map<Address, LedgerHolding>, owners: Map<Address, string>) {
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

const INSERT_CHUNK = 5_000;

/** The payment of an approved bond on `paymentDate` (after the business-day move), or null. */
async function paymentOf(db: DbOrTx, offeringId: string, paymentDate: string): Promise<{ offering: Offering; payment: BondPayment } | null> {
  const [offering] = await db.select().from(offerings).where(eq(offerings.id, offeringId));
  const terms = offering ? await approvedBondTerms(offering, db) : null;
  const payment = terms ? bondSchedule(terms).find((row) => row.paymentDate === paymentDate) : undefined;
  return offering && payment ? { offering, payment } : null;
}

/**
 * Takes and stores the snapshot of one payment: `frozen` (with its holdings), `mismatch` (naming
 * each differing holder) or `error` (the chain could not be read: the message is kept for staff).
 * Nothing is stored before the cutoff, or when the payment already has a frozen snapshot.
 */
export async function takeRecordSnapshot(input: { offeringId: string; paymentDate: string; takenBy?: string | null; now?: Date }, ctx: ChainContext = chainContext()): Promise<SnapshotOutcome> {
  const db = ctx.db;
  const found = await paymentOf(db, input.offeringId, input.paymentDate);
  if (!found) throw new Error(`offering ${input.offeringId} has no approved bond payment on ${input.paymentDate}`);
  const { offering, payment } = found;
  const cutoffAt = recordCutoff(payment.recordDate);
  if ((input.now ?? new Date()).getTime() < cutoffAt.getTime()) return { status: "not_due", snapshotId: null };
  const already = await frozenSnapshot(offering.id, input.paymentDate, db);
  if (already) return { status: "already_frozen", snapshotId: already.id };
  const row = { offeringId: offering.id, paymentDate: input.paymentDate, recordDate: payment.recordDate, cutoffAt, takenBy: input.takenBy ?? null };

  let chain: ChainHoldings;
  let ledger: Map<Address, LedgerHolding>;
  try {
    if (!offering.tokenAddress || offering.chainId !== ctx.chainId) throw new Error("the bond has no token on this chain");
    chain = await chainHoldingsAt(ctx, getAddress(offering.tokenAddress), cutoffAt, await baseSnapshot(db, offering.id, cutoffAt));
    if (!chain.final) return { status: "not_due", snapshotId: null };
    ledger = await ledgerHoldingsAt(db, ctx.chainId, offering.id, chain.blockNumber, cutoffAt);
  } catch (error) {
    const message = error instanceof BaseError ? classifyChainError(error).message : error instanceof Error ? error.message : String(error);
    const [stored] = await db
      .insert(recordSnapshots)
      .values({ ...row, status: "error", error: message.slice(0, 2_000) })
      .returning({ id: recordSnapshots.id });
    console.error(`[bonds] snapshot of ${offering.slug} for ${input.paymentDate} failed: ${message}`);
    return { status: "error", snapshotId: stored!.id };
  }
  const owners = await walletOwners(
    db,
    [...chain.balances.keys()].filter((address) => !ledger.has(address)),
  );
  const { mismatches, supplyLedger, holdings } = compare(chain, ledger, owners);
  const status = mismatches.length === 0 ? ("frozen" as const) : ("mismatch" as const);

  return db.transaction(async (tx) => {
    // One taker at a time per offering; a frozen snapshot that appeared meanwhile wins.
    await tx.select({ id: offerings.id }).from(offerings).where(eq(offerings.id, offering.id)).for("update");
    const frozen = await frozenSnapshot(offering.id, input.paymentDate, tx);
    if (frozen) return { status: "already_frozen" as const, snapshotId: frozen.id };
    const [stored] = await tx
      .insert(recordSnapshots)
      .values({
        ...row,
        status,
        blockNumber: Number(chain.blockNumber),
        supplyChain: Number(chain.supply),
        supplyLedger,
        holders: holdings.length,
        mismatches,
      })
      .returning({ id: recordSnapshots.id });
    const snapshotId = stored!.id;
    if (status === "frozen") {
      for (let i = 0; i < holdings.length; i += INSERT_CHUNK) {
        await tx.insert(snapshotHoldings).values(holdings.slice(i, i + INSERT_CHUNK).map((holding) => ({ snapshotId, ...holding })));
      }
    }
    const detail = {
      snapshotId,
      paymentDate: input.paymentDate,
      recordDate: payment.recordDate,
      blockNumber: Number(chain.blockNumber),
      holders: holdings.length,
      supplyChain: Number(chain.supply),
      supplyLedger,
    };
    await recordAudit(tx, {
      actorId: input.takenBy ?? null,
      action: status === "frozen" ? "bond.snapshot_taken" : "bond.snapshot_mismatch",
      targetType: "offering",
      targetId: offering.id,
      detail: status === "frozen" ? detail : { ...detail, mismatchCount: mismatches.length, mismatches: mismatches.slice(0, 50) },
    });
    if (status === "mismatch") console.error(`[bonds] snapshot of ${offering.slug} for ${input.paymentDate}: ${mismatches.length} holder(s) differ between chain and ledger`);
    return { status, snapshotId };
  });
}

/**
 * The payments of every approved bond with a token whose record date has ended and that have no
 * snapshot yet, or only one that failed to read the chain. A mismatch waits for staff to retake it.
 */
export async function dueSnapshots(db: DbOrTx, chainId: number, now = new Date()): Promise<{ offeringId: string; paymentDate: string }[]> {
  const bonds = await db
    .select()
    .from(offerings)
    .where(and(eq(offerings.kind, "municipal_bond"), eq(offerings.chainId, chainId), isNotNull(offerings.tokenAddress), isNotNull(offerings.approvedRevision)));
  const due: { offeringId: string; paymentDate: string }[] = [];
  for (const offering of bonds) {
    const terms = await approvedBondTerms(offering, db);
    if (!terms) continue;
    const passed = bondSchedule(terms).filter((payment) => recordCutoff(payment.recordDate).getTime() <= now.getTime());
    if (passed.length === 0) continue;
    // A frozen snapshot counts over any later row (a sweep's failed read racing a staff retake).
    const taken = await db.execute<{ payment_date: string; status: string }>(sql`
      select distinct on (payment_date) payment_date::text as payment_date, status from record_snapshots
      where offering_id = ${offering.id} order by payment_date, (status = 'frozen') desc, taken_at desc`);
    const latest = new Map([...taken].map((snapshot) => [snapshot.payment_date, snapshot.status]));
    for (const payment of passed) {
      const status = latest.get(payment.paymentDate);
      if (status === undefined || status === "error") due.push({ offeringId: offering.id, paymentDate: payment.paymentDate });
    }
  }
  return due;
}
