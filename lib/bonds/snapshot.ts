import "server-only";
import { and, desc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { BaseError, getAddress, type Address } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, recordSnapshots, snapshotHoldings, type BondTerms, type Offering, type RecordSnapshot } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { classifyChainError } from "@/lib/chain/errors";
import { approvedBondOf } from "@/lib/offerings/public-view";
import { isValidDate } from "./calendar";
import { bondSchedule, type BondPayment } from "./schedule";
import { chainHoldingsAt, type ChainHoldings, type SnapshotBase } from "./snapshot-chain";
import { compareHoldings, ledgerHoldingsAt, type LedgerHolding, walletOwners } from "./snapshot-ledger";
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
  const found = await paymentOf(ctx.db, input.offeringId, input.paymentDate);
  if (!found) throw new Error(`offering ${input.offeringId} has no approved bond payment on ${input.paymentDate}`);
  return freezeHoldings(ctx, { offering: found.offering, recordDate: found.payment.recordDate, paymentDate: input.paymentDate, takenBy: input.takenBy ?? null, now: input.now });
}

/** The frozen snapshot of a record date (a holders' snapshot, or a bond payment's when paymentDate is given). */
export async function frozenSnapshotOf(db: DbOrTx, offeringId: string, key: SnapshotKey): Promise<RecordSnapshot | null> {
  if (key.paymentDate !== null) return frozenSnapshot(offeringId, key.paymentDate, db);
  const [row] = await db
    .select()
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.recordDate, key.recordDate), isNull(recordSnapshots.paymentDate), eq(recordSnapshots.status, "frozen")));
  return row ?? null;
}

/** A bond payment's snapshot (paymentDate set) or a holders' snapshot of a record date (paymentDate null). */
export type SnapshotKey = { recordDate: string; paymentDate: string | null };

/**
 * The core of every record-date snapshot: the chain's holdings at the last block before the end of
 * the record date, checked against the ledger, stored frozen or as a mismatch or error. Used for
 * bond payments and, with paymentDate null, for the holders of a village token (votes, perks).
 */
export async function freezeHoldings(ctx: ChainContext, input: SnapshotKey & { offering: Offering; takenBy: string | null; now?: Date }): Promise<SnapshotOutcome> {
  const db = ctx.db;
  const { offering, recordDate, paymentDate } = input;
  const label = paymentDate ?? `record date ${recordDate}`;
  const cutoffAt = recordCutoff(recordDate);
  if ((input.now ?? new Date()).getTime() < cutoffAt.getTime()) return { status: "not_due", snapshotId: null };
  const already = await frozenSnapshotOf(db, offering.id, input);
  if (already) return { status: "already_frozen", snapshotId: already.id };
  const row = { offeringId: offering.id, paymentDate, recordDate, cutoffAt, takenBy: input.takenBy };
  const actions = paymentDate === null ? (["holders.snapshot_taken", "holders.snapshot_mismatch"] as const) : (["bond.snapshot_taken", "bond.snapshot_mismatch"] as const);

  let chain: ChainHoldings;
  let ledger: Map<Address, LedgerHolding>;
  try {
    if (!offering.tokenAddress || offering.chainId !== ctx.chainId) throw new Error("the offering has no token on this chain");
    chain = await chainHoldingsAt(ctx, getAddress(offering.tokenAddress), cutoffAt, await baseSnapshot(db, offering.id, cutoffAt));
    if (!chain.final) return { status: "not_due", snapshotId: null };
    ledger = await ledgerHoldingsAt(db, ctx.chainId, offering.id, chain.blockNumber, cutoffAt);
  } catch (error) {
    const message = error instanceof BaseError ? classifyChainError(error).message : error instanceof Error ? error.message : String(error);
    const [stored] = await db
      .insert(recordSnapshots)
      .values({ ...row, status: "error", error: message.slice(0, 2_000) })
      .returning({ id: recordSnapshots.id });
    console.error(`[snapshots] snapshot of ${offering.slug} for ${label} failed: ${message}`);
    return { status: "error", snapshotId: stored!.id };
  }
  const owners = await walletOwners(
    db,
    [...chain.balances.keys()].filter((address) => !ledger.has(address)),
  );
  const { mismatches, supplyLedger, holdings } = compareHoldings(chain, ledger, owners);
  const status = mismatches.length === 0 ? ("frozen" as const) : ("mismatch" as const);

  return db.transaction(async (tx) => {
    // One taker at a time per offering; a frozen snapshot that appeared meanwhile wins.
    await tx.select({ id: offerings.id }).from(offerings).where(eq(offerings.id, offering.id)).for("update");
    const frozen = await frozenSnapshotOf(tx, offering.id, input);
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
      ...(paymentDate === null ? {} : { paymentDate }),
      recordDate,
      blockNumber: Number(chain.blockNumber),
      holders: holdings.length,
      supplyChain: Number(chain.supply),
      supplyLedger,
    };
    await recordAudit(tx, {
      actorId: input.takenBy,
      action: status === "frozen" ? actions[0] : actions[1],
      targetType: "offering",
      targetId: offering.id,
      detail: status === "frozen" ? detail : { ...detail, mismatchCount: mismatches.length, mismatches: mismatches.slice(0, 50) },
    });
    if (status === "mismatch") console.error(`[snapshots] snapshot of ${offering.slug} for ${label}: ${mismatches.length} holder(s) differ between chain and ledger`);
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
