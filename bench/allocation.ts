/**
 * `npm run bench -- allocation [--orders N]`: N paid orders for N new holders, allocated by the
 * real worker (pg-boss jobs → signer queue → allocateBatch) on a fresh embedded PostgreSQL and a
 * fresh Hardhat node, against single BaselineToken.mint transactions as the baseline for gas.
 * For speed, the same run also times the chain alone doing the same work (allowlisting and
 * allocating N new holders in the same batches, each simulated then sent, straight from viem):
 * the ceiling the worker could reach on this node under this load. Progress goes to stderr; the
 * figures are the last line on stdout, as JSON.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { createWalletClient, encodeFunctionData, getContract, http, keccak256, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { baselineTokenAbi, baselineTokenBytecode } from "@/contracts/artifacts/BaselineToken";
import { villageTokenAbi, villageTokenBytecode } from "@/contracts/artifacts/VillageToken";
import { migrateDatabase } from "@/db/migrate";
import { ensureDatabase, makeTempDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-pg";
import { freePort } from "@/scripts/lib/ports";
import { HARDHAT_DEV_PRIVATE_KEYS, startHardhatNode } from "@/scripts/lib/hardhat-node";

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const N = flag("orders", 1000);
const TARGET_PER_S = 300;
const BASELINE_MINTS = Math.min(N, flag("baseline", 200));
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const dir = makeTempDir("village-bench-");
const cluster = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("hex") });
let node: Awaited<ReturnType<typeof startHardhatNode>> | undefined;
let stopWorker: (() => Promise<void>) | undefined;
let closeDatabase: (() => Promise<void>) | undefined;
try {
  node = await startHardhatNode();
  await ensureDatabase(cluster.urlFor("postgres"), "bench");
  const databaseUrl = cluster.urlFor("bench");
  Object.assign(process.env, { DATABASE_URL: databaseUrl, PORTAL_MODE: "demo", DATA_DIR: path.join(dir, "data"), CHAIN_RPC_URL: node.rpcUrl, AUTH_SECRET: randomBytes(32).toString("base64url") });
  await migrateDatabase(databaseUrl);
  // Imported after the settings are in place: env() reads them once, on first use.
  const { sql } = await import("drizzle-orm");
  const { closeDb, getDb } = await import("@/db/client");
  const { prepareQueues, startWorker } = await import("@/lib/jobs/worker");
  const { chainContext } = await import("@/lib/chain/context");
  const { makeInvestor, makeOffering, makePaidOrder } = await import("@/test/chain-support");
  const { deployOfferingToken } = await import("@/lib/chain/deploy-offering");
  closeDatabase = closeDb;
  await prepareQueues(databaseUrl);
  const db = getDb();
  const ctx = chainContext();

  const offering = await makeOffering(db, "bench-forest-token");
  const { tokenAddress } = await deployOfferingToken(ctx, offering.id);
  say(`token ${tokenAddress}; creating ${N} investors with wallets and paid orders`);
  const orderUnits: number[] = [];
  for (let start = 0; start < N; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, N - start) }, async (_, i) => {
        const units = 1 + ((start + i) % 5);
        const { userId } = await makeInvestor(db);
        await makePaidOrder(db, { userId, offeringId: offering.id, units, enqueueJob: true });
        orderUnits.push(units);
      }),
    );
  }

  say("starting the worker");
  const started = performance.now();
  const boss = await startWorker(databaseUrl, db);
  say(`worker registered after ${(performance.now() - started).toFixed(0)} ms`);
  stopWorker = () => boss.stop({ graceful: false });
  const countAllocated = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from orders where status = 'allocated'`))[0]!.n);
  for (let allocated = 0; allocated < N; allocated = await countAllocated()) {
    if (performance.now() - started > 600_000) throw new Error(`only ${allocated} of ${N} allocated after 10 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await stopWorker();
  stopWorker = undefined;
  say(`${N} orders allocated in ${seconds.toFixed(2)} s`);

  // Double mints: an order with more than one Allocated event on chain, or more than one ledger entry.
  const events = await ctx.client.getContractEvents({ address: tokenAddress, abi: villageTokenAbi, eventName: "Allocated", fromBlock: 0n });
  const perSeq = new Map<bigint, number>();
  for (const event of events) perSeq.set(event.args.orderSeq!, (perSeq.get(event.args.orderSeq!) ?? 0) + 1);
  const ledgerTwice = await db.execute<{ n: string }>(
    sql`select count(*) as n from (select order_id from ledger_entries where kind = 'tokens_allocated' group by order_id having count(*) > 1) as twice`,
  );
  const double = [...perSeq.values()].filter((n) => n > 1).length + Number(ledgerTwice[0]!.n);
  const supply = await ctx.client.readContract({ address: tokenAddress, abi: villageTokenAbi, functionName: "totalSupply" });
  const expectedSupply = orderUnits.reduce((sum, units) => sum + units, 0);
  if (Number(supply) !== expectedSupply) throw new Error(`total supply ${supply} != ${expectedSupply} units paid`);

  const gasOf = async (kind: string) => {
    const rows = await db.execute<{ tx_hash: string }>(sql`select tx_hash from chain_transactions where kind = ${kind} and status = 'confirmed'`);
    const receipts = await Promise.all(rows.map((row) => ctx.client.getTransactionReceipt({ hash: row.tx_hash as Hex })));
    return { gas: receipts.reduce((sum, receipt) => sum + Number(receipt.gasUsed), 0), transactions: receipts.length };
  };
  const allocate = await gasOf("allocate");
  const allowlist = await gasOf("allowlist");

  say(`baseline: ${BASELINE_MINTS} single BaselineToken.mint transactions to new holders`);
  const owner = createWalletClient({ account: privateKeyToAccount(HARDHAT_DEV_PRIVATE_KEYS[1]), transport: http(node.rpcUrl, { retryCount: 0 }) });
  const deployed = await ctx.client.waitForTransactionReceipt({
    hash: await owner.deployContract({ chain: null, abi: baselineTokenAbi, bytecode: baselineTokenBytecode, args: ["Baseline", "BASE", owner.account.address] }),
  });
  const baseline = getContract({ address: deployed.contractAddress!, abi: baselineTokenAbi, client: { public: ctx.client, wallet: owner } });
  const holder = (label: string) => `0x${keccak256(toHex(label)).slice(26)}` as Address;
  // The first mint ever also turns total supply from zero to non-zero: a warm-up, not measured.
  await ctx.client.waitForTransactionReceipt({ hash: await baseline.write.mint([holder("warm-up"), 1n], { chain: null }) });
  let baselineGas = 0;
  for (let i = 0; i < BASELINE_MINTS; i++) {
    const receipt = await ctx.client.waitForTransactionReceipt({ hash: await baseline.write.mint([holder(`baseline-${i}`), BigInt(1 + (i % 5))], { chain: null }) });
    baselineGas += Number(receipt.gasUsed);
  }

  say(`ceiling: the chain alone allowlisting and allocating ${N} new holders in the same batches`);
  const issuer = createWalletClient({ account: privateKeyToAccount(HARDHAT_DEV_PRIVATE_KEYS[0]), transport: http(node.rpcUrl, { retryCount: 0 }) });
  const ceilingToken = (
    await ctx.client.waitForTransactionReceipt({
      hash: await issuer.deployContract({ chain: null, abi: villageTokenAbi, bytecode: villageTokenBytecode, args: ["Ceiling", "CEIL", issuer.account.address] }),
    })
  ).contractAddress!;
  const holders = Array.from({ length: N }, (_, i) => holder(`ceiling-${i}`));
  const simulateAndSend = async (data: Hex) => {
    const gas = await ctx.client.estimateGas({ account: issuer.account.address, to: ceilingToken, data });
    const hash = await issuer.sendTransaction({ chain: null, to: ceilingToken, data, gas: (gas * 6n) / 5n });
    const receipt = await ctx.client.getTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error("ceiling transaction reverted");
  };
  const ceilingStarted = performance.now();
  for (let start = 0; start < N; start += 200) {
    await simulateAndSend(encodeFunctionData({ abi: villageTokenAbi, functionName: "setAllowlistedBatch", args: [holders.slice(start, start + 200), true] }));
  }
  for (let start = 0; start < N; start += ctx.batchSize) {
    const batch = holders.slice(start, start + ctx.batchSize);
    const seqs = batch.map((_, i) => BigInt(start + i + 1));
    await simulateAndSend(encodeFunctionData({ abi: villageTokenAbi, functionName: "allocateBatch", args: [seqs, batch, batch.map((_, i) => BigInt(1 + ((start + i) % 5)))] }));
  }
  const ceilingSeconds = (performance.now() - ceilingStarted) / 1000;

  const perAllocation = Math.round(allocate.gas / N);
  const perAllowlist = Math.round(allowlist.gas / N);
  const perBaseline = Math.round(baselineGas / BASELINE_MINTS);
  const allocated = [...perSeq.values()].filter((n) => n === 1).length;
  const perSecond = Number((N / seconds).toFixed(1));
  const ceilingPerSecond = Number((N / ceilingSeconds).toFixed(1));
  console.log(
    JSON.stringify({
      bench: "allocation",
      orders: N,
      allocated,
      double,
      seconds: Number(seconds.toFixed(2)),
      per_s: perSecond,
      gas_per_allocation: perAllocation,
      gas_per_allocation_with_allowlist: perAllocation + perAllowlist,
      allowlist_gas_per_holder: perAllowlist,
      baseline_gas_per_mint: perBaseline,
      gas_ratio: Number((perBaseline / perAllocation).toFixed(2)),
      gas_ratio_with_allowlist: Number((perBaseline / (perAllocation + perAllowlist)).toFixed(2)),
      batch_size: ctx.batchSize,
      allocate_transactions: allocate.transactions,
      allowlist_transactions: allowlist.transactions,
      baseline_mints: BASELINE_MINTS,
      chain_only_per_s: ceilingPerSecond,
      per_s_over_chain_only: Number((perSecond / ceilingPerSecond).toFixed(2)),
      target_per_s: TARGET_PER_S,
      met: perSecond >= TARGET_PER_S && allocated === N && double === 0,
    }),
  );
} finally {
  await stopWorker?.().catch(() => undefined);
  await closeDatabase?.().catch(() => undefined);
  await node?.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
