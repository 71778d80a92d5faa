/**
 * `npm run bench -- coupon-run [--holders N]`: a bond with N holders allocated on a fresh Hardhat
 * node (allowlist and allocate batches sent straight to the token with the demo issuer key, the
 * ledger written to match), then the timed steps of one coupon payment on a fresh embedded
 * PostgreSQL: the record-date snapshot (chain against ledger), the run's computation (prepare),
 * and the Zengin transfer file. The baseline is one query reading the N ledger holdings; ratio =
 * total / baseline. `mismatch` counts payments whose amounts differ from an independent
 * recomputation or do not reconcile (gross = net + national + local), plus a file whose total or
 * count differs from the run. Progress goes to stderr; the figures are the last line, as JSON.
 */
import { randomBytes } from "node:crypto";
import { createTestClient, createWalletClient, getAddress, http, keccak256, toHex, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { startHardhatNode } from "@/scripts/lib/hardhat-node";
import { benchDatabase, flag } from "./_harness";

const N = flag("holders", 10_000);
const BATCH = 400;
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(3));

const node = await startHardhatNode();
process.env.CHAIN_RPC_URL = node.rpcUrl;
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
const database = await benchDatabase();
let closeDatabase: (() => Promise<void>) | undefined;
try {
  // Imported after the settings are in place: env() reads them once, on first use.
  const { sql } = await import("drizzle-orm");
  const { closeDb, getDb } = await import("@/db/client");
  const schema = await import("@/db/schema");
  const { chainContext } = await import("@/lib/chain/context");
  const { deployOfferingToken } = await import("@/lib/chain/deploy-offering");
  const { bondSchedule } = await import("@/lib/bonds/schedule");
  const { recordCutoff, takeRecordSnapshot } = await import("@/lib/bonds/snapshot");
  const { tokyoDate } = await import("@/lib/projects/dates");
  const { addMonths } = await import("@/lib/bonds/calendar");
  const { prepareCouponRun } = await import("@/lib/coupons/prepare");
  const { approveCouponRun } = await import("@/lib/coupons/approve");
  const { saveIssuerPayoutSettings } = await import("@/lib/coupons/issuer-settings");
  const { buildTransferFile } = await import("@/lib/coupons/transfer-file");
  const { parseZenginFile } = await import("@/lib/coupons/zengin");
  closeDatabase = closeDb;
  const db = getDb();
  const ctx = chainContext();

  // A bond whose first coupon is the 15th of next month: the chain's clock is moved past its record date below.
  const firstCoupon = `${addMonths(`${tokyoDate(new Date()).slice(0, 7)}-01`, 1).slice(0, 7)}-15`;
  const terms = {
    faceValueYen: 10_000,
    issuePriceYen: 10_000,
    couponRateBp: 45,
    couponsPerYear: 2,
    interestFrom: addMonths(firstCoupon, -6),
    firstCouponDate: firstCoupon,
    maturityDate: addMonths(firstCoupon, 6),
    recordDateBusinessDays: 1,
  };
  const payment = bondSchedule(terms)[0]!;
  const [village] = await db
    .insert(schema.villages)
    .values({ slug: "bench-village", nameJa: "ベンチ村", nameEn: "Bench Village", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "村", descriptionEn: "Village" })
    .returning();
  const [offering] = await db
    .insert(schema.offerings)
    .values({
      villageId: village!.id,
      slug: "bench-bond",
      kind: "municipal_bond",
      nameJa: "ベンチ債",
      nameEn: "Bench Bond",
      descriptionJa: "債",
      descriptionEn: "Bond",
      tokenSymbol: "BNB",
      priceYen: 10_000,
      capUnits: 10 * N,
      maxUnitsPerOrder: 100,
      opensAt: new Date(Date.now() - 30 * 86_400_000),
      closesAt: new Date(Date.now() - 86_400_000),
      status: "closed",
      approvedRevision: 1,
    })
    .returning();
  await db.insert(schema.bondTerms).values({ offeringId: offering!.id, ...terms });
  const staff = await db
    .insert(schema.users)
    .values([
      { email: "bench-staff-a@example.jp", role: "staff" },
      { email: "bench-staff-b@example.jp", role: "staff" },
    ])
    .returning({ id: schema.users.id });
  const { tokenAddress } = await deployOfferingToken(ctx, offering!.id);
  say(`bond ${tokenAddress}; payment ${payment.paymentDate} (record date ${payment.recordDate}); ${N} holders`);

  // N holders with payout accounts; units 1..5 so odd holdings exercise the rounding.
  const holders: { userId: string; address: Address; units: number }[] = [];
  for (let start = 0; start < N; start += 1_000) {
    const rows = await db
      .insert(schema.users)
      .values(Array.from({ length: Math.min(1_000, N - start) }, (_, i) => ({ email: `bench-holder-${start + i}@example.jp` })))
      .returning({ id: schema.users.id });
    await db.insert(schema.payoutBankAccounts).values(
      rows.map((row, i) => ({
        userId: row.id,
        bankCode: "0005",
        branchCode: "001",
        accountType: "ordinary" as const,
        accountNumber: String(1_000_000 + start + i),
        holderNameKana: "ヤマダ\u3000ハナコ",
      })),
    );
    for (const [i, row] of rows.entries()) {
      holders.push({ userId: row.id, address: getAddress(`0x${keccak256(toHex(`bench-${start + i}`)).slice(26)}`), units: 1 + ((start + i) % 5) });
    }
  }

  const wallet = createWalletClient({ account: ctx.account, transport: http(node.rpcUrl, { retryCount: 0 }) });
  const token = { address: tokenAddress, abi: villageTokenAbi, chain: null } as const;
  const setupStarted = performance.now();
  for (let start = 0; start < N; start += BATCH) {
    const batch = holders.slice(start, start + BATCH);
    const allowed = await wallet.writeContract({ ...token, functionName: "setAllowlistedBatch", args: [batch.map((h) => h.address), true] });
    await ctx.client.waitForTransactionReceipt({ hash: allowed });
    const hash = await wallet.writeContract({
      ...token,
      functionName: "allocateBatch",
      args: [batch.map((_, i) => BigInt(start + i + 1)), batch.map((h) => h.address), batch.map((h) => BigInt(h.units))],
    });
    const receipt = await ctx.client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`allocateBatch at ${start} reverted`);
    await db.insert(schema.ledgerEntries).values(
      batch.map((h) => ({
        kind: "tokens_allocated" as const,
        offeringId: offering!.id,
        userId: h.userId,
        units: h.units,
        detail: { to: h.address, txHash: hash, blockNumber: Number(receipt.blockNumber) },
      })),
    );
  }
  say(`${N} holders allowlisted and allocated on chain in ${seconds(setupStarted)} s`);

  // The chain's clock past the end of the record date, so the snapshot block is final.
  const cutoff = recordCutoff(payment.recordDate);
  const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
  await testClient.setNextBlockTimestamp({ timestamp: BigInt(Math.floor(cutoff.getTime() / 1000) + 3_600) });
  await testClient.mine({ blocks: 1 });
  const now = new Date(cutoff.getTime() + 7_200_000);
  await saveIssuerPayoutSettings(staff[0]!.id, village!.id, {
    requesterCode: "0123456789",
    requesterNameKana: "ベンチムラ",
    bankCode: "0001",
    branchCode: "110",
    accountType: "ordinary",
    accountNumber: "0012345",
  });

  let started = performance.now();
  const snapshot = await takeRecordSnapshot({ offeringId: offering!.id, paymentDate: payment.paymentDate, takenBy: staff[0]!.id, now });
  const snapshotSeconds = seconds(started);
  if (snapshot.status !== "frozen") throw new Error(`snapshot ${snapshot.status}`);
  say(`snapshot frozen in ${snapshotSeconds} s`);

  started = performance.now();
  const prepared = await prepareCouponRun({ offeringId: offering!.id, paymentNumber: 1, actorId: staff[0]!.id, now });
  const computeSeconds = seconds(started);
  if (!prepared.ok) throw new Error(`prepare: ${prepared.error}`);
  say(`run prepared in ${computeSeconds} s`);

  started = performance.now();
  const approved = await approveCouponRun({ offeringId: offering!.id, runId: prepared.runId, actorId: staff[1]!.id });
  if (!approved.ok || approved.inFile !== N) throw new Error(`approve: ${JSON.stringify(approved)}`);
  say(`run approved in ${seconds(started)} s (not part of the total)`);

  started = performance.now();
  const file = await buildTransferFile(offering!.id, prepared.runId);
  const fileSeconds = seconds(started);
  if (!file.ok) throw new Error(`file: ${file.error}`);
  say(`transfer file of ${file.bytes.length} bytes in ${fileSeconds} s`);

  // Baseline: the N ledger holdings read with one query.
  started = performance.now();
  const baselineRows = await db.execute(sql`
    select user_id, detail->>'to' as address, sum(units) as units from ledger_entries
    where offering_id = ${offering!.id} and kind in ('tokens_allocated', 'tokens_clawed_back', 'tokens_transferred', 'tokens_redeemed')
    group by user_id, detail->>'to'`);
  const baselineSeconds = seconds(started);
  if (baselineRows.length !== N) throw new Error(`baseline read ${baselineRows.length} holdings`);

  // Independent check: coupon per unit = face × rate ÷ (10,000 × frequency), exact, floored per holder.
  const [run] = await db.select().from(schema.couponRuns).where(sql`${schema.couponRuns.id} = ${prepared.runId}`);
  const payments = await db.select().from(schema.couponPayments).where(sql`${schema.couponPayments.runId} = ${prepared.runId}`);
  const unitsOf = new Map(holders.map((h) => [h.userId, h.units]));
  let mismatch = payments.length === N ? 0 : Math.abs(N - payments.length);
  for (const p of payments) {
    const gross = Number((BigInt(unitsOf.get(p.userId) ?? 0) * BigInt(terms.faceValueYen) * BigInt(terms.couponRateBp)) / (10_000n * BigInt(terms.couponsPerYear)));
    const national = Number((BigInt(gross) * 15_315n) / 100_000n);
    const local = Number((BigInt(gross) * 5n) / 100n);
    if (p.grossYen !== gross || p.nationalTaxYen !== national || p.localTaxYen !== local || p.grossYen !== p.netYen + p.nationalTaxYen + p.localTaxYen) mismatch += 1;
  }
  const parsed = parseZenginFile(file.bytes);
  if (parsed.trailer.totalYen !== run!.netYen + run!.principalYen || parsed.trailer.count !== N) mismatch += 1;

  const total = Number((snapshotSeconds + computeSeconds + fileSeconds).toFixed(3));
  console.log(
    JSON.stringify({
      bench: "coupon-run",
      holders: N,
      seconds: { snapshot: snapshotSeconds, compute: computeSeconds, file: fileSeconds, total },
      baseline_seconds: baselineSeconds,
      ratio: Number((total / Math.max(baselineSeconds, 0.001)).toFixed(1)),
      mismatch,
    }),
  );
} finally {
  await closeDatabase?.().catch(() => undefined);
  await node.stop();
  await database.stop();
}
