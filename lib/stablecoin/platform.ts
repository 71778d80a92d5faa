import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { yenStablecoinAbi } from "@/contracts/artifacts/YenStablecoin";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, platformContracts, type ChainTransaction } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { ChainContext } from "@/lib/chain/context";
import { retrying, submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { env } from "@/lib/env";
import { setupFromRows, type StablecoinDetail, type StablecoinSetup } from "./contracts";
import { deploySettlementIntent, deployStablecoinIntent, grantSettlementIntent, ISSUER_ROLE, mintStablecoinIntent } from "./platform-intents";

/**
 * The stablecoin platform of a chain the portal runs itself (the dev chain): the yen stablecoin and
 * the settlement contract, deployed once through the issuer's signer queue (so the journal replays
 * them to the same addresses), and the settlement's right to allocate each token.
 */

type PlatformName = "stablecoin" | "settlement";
const NAMES: PlatformName[] = ["stablecoin", "settlement"];

async function hasCode(ctx: ChainContext, address: string): Promise<boolean> {
  const code = await retrying(ctx, () => ctx.client.getCode({ address: getAddress(address) }));
  return !!code && code !== "0x";
}

function platformRows(db: DbOrTx, chainId: number) {
  return db.select().from(platformContracts).where(eq(platformContracts.chainId, chainId));
}

/** The latest deployment of `name` on this chain that is under way, or done with its contract still there. */
async function usableDeployment(ctx: ChainContext, db: DbOrTx, name: PlatformName): Promise<ChainTransaction | undefined> {
  const rows = await db
    .select()
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.kind, "platform_deploy"),
        eq(chainTransactions.chainId, ctx.chainId),
        sql`${chainTransactions.payload}->'ref'->>'platform' = ${name}`,
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
      ),
    )
    .orderBy(desc(chainTransactions.createdAt));
  for (const row of rows) {
    if (row.status !== "confirmed") return row;
    if (row.payload?.createdAddress && (await hasCode(ctx, row.payload.createdAddress))) return row;
  }
  return undefined;
}

/** The deployed stablecoin's EIP-712 domain (ERC-5267) and decimals, as the chain says. */
async function stablecoinDetail(ctx: ChainContext, stablecoin: Address): Promise<StablecoinDetail> {
  const [domain, decimals] = await retrying(ctx, () =>
    Promise.all([
      ctx.client.readContract({ address: stablecoin, abi: yenStablecoinAbi, functionName: "eip712Domain" }),
      ctx.client.readContract({ address: stablecoin, abi: yenStablecoinAbi, functionName: "decimals" }),
    ]),
  );
  return { decimals, eip712Name: domain[1], eip712Version: domain[2] };
}

/**
 * Deploys the chain's stablecoin and settlement contract once and records them. Idempotent: with
 * both recorded nothing happens; a deployment under way is awaited, not repeated (a lock per chain
 * makes two callers at once agree on the same transactions).
 */
export async function deployPlatformContracts(ctx: ChainContext): Promise<StablecoinSetup> {
  const recorded = setupFromRows(await platformRows(ctx.db, ctx.chainId));
  if (recorded) return recorded;
  const queued = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`platform-contracts:${ctx.chainId}`}, 0))`);
    const present = new Set((await platformRows(tx, ctx.chainId)).map((row) => row.name));
    const rows: { name: PlatformName; id: string }[] = [];
    for (const name of NAMES.filter((candidate) => !present.has(candidate))) {
      const intent = name === "stablecoin" ? deployStablecoinIntent(ctx.account.address) : deploySettlementIntent(ctx.account.address);
      const row = (await usableDeployment(ctx, tx, name)) ?? (await submitTransaction(tx, ctx, intent));
      rows.push({ name, id: row.id });
    }
    return rows;
  });
  const done = await waitForTransactions(
    ctx,
    queued.map((row) => row.id),
  );
  const deployed = queued.map((row, i) => {
    const tx = done[i]!;
    const address = tx.payload?.createdAddress;
    if (tx.status !== "confirmed" || !address) throw new Error(`deployment of the ${row.name} contract failed: ${tx.error ?? "no contract address"}`);
    return { name: row.name, address: getAddress(address), txHash: tx.txHash };
  });
  const stablecoin = deployed.find((row) => row.name === "stablecoin");
  const detail = stablecoin ? await stablecoinDetail(ctx, stablecoin.address) : undefined;
  return ctx.db.transaction(async (tx) => {
    const inserted = deployed.length
      ? await tx
          .insert(platformContracts)
          .values(deployed.map((row) => ({ chainId: ctx.chainId, name: row.name, address: row.address, detail: { ...(row.name === "stablecoin" ? detail : {}), txHash: row.txHash } })))
          .onConflictDoNothing()
          .returning()
      : [];
    const setup = setupFromRows(await platformRows(tx, ctx.chainId));
    if (!setup) throw new Error(`the platform contracts of chain ${ctx.chainId} are not recorded`);
    if (inserted.length > 0) {
      await recordAudit(tx, {
        actorId: null,
        action: "stablecoin.contracts_deployed",
        targetType: "chain",
        targetId: String(ctx.chainId),
        detail: { chainId: ctx.chainId, stablecoin: setup.stablecoin, settlement: setup.settlement, deployed: inserted.map((row) => row.name) },
      });
    }
    return setup;
  });
}

/**
 * Forgets recorded platform contracts that have no code on the chain (a dev chain whose journal
 * was lost), so that deployPlatformContracts deploys them again. Returns how many were forgotten.
 */
export async function forgetPlatformContractsWithoutCode(ctx: ChainContext): Promise<number> {
  let forgotten = 0;
  for (const row of await platformRows(ctx.db, ctx.chainId)) {
    if (await hasCode(ctx, row.address)) continue;
    await ctx.db.delete(platformContracts).where(and(eq(platformContracts.chainId, ctx.chainId), eq(platformContracts.name, row.name)));
    forgotten++;
  }
  return forgotten;
}

const hasIssuerRole = (ctx: ChainContext, token: Address, settlement: Address) =>
  retrying(ctx, () => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "hasRole", args: [ISSUER_ROLE, settlement] }));

/**
 * Lets the settlement contract allocate the token (its ISSUER_ROLE), through the signer queue, once:
 * a grant already in the queue for that token is awaited, not repeated.
 */
export async function ensureSettlementCanAllocate(ctx: ChainContext, token: Address, settlement: Address): Promise<void> {
  if (await hasIssuerRole(ctx, token, settlement)) return;
  const row = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`grant-settlement:${ctx.chainId}:${token.toLowerCase()}`}, 0))`);
    const [inFlight] = await tx
      .select()
      .from(chainTransactions)
      .where(
        and(
          eq(chainTransactions.kind, "grant_role"),
          eq(chainTransactions.chainId, ctx.chainId),
          sql`lower(${chainTransactions.payload}->>'to') = ${token.toLowerCase()}`,
          sql`${chainTransactions.payload}->'ref'->>'settlement' = ${settlement.toLowerCase()}`,
          inArray(chainTransactions.status, ["pending", "sent"]),
        ),
      )
      .limit(1);
    if (inFlight) return inFlight;
    if (await hasIssuerRole(ctx, token, settlement)) return null;
    return submitTransaction(tx, ctx, grantSettlementIntent(token, settlement));
  });
  if (!row) return;
  const [done] = await waitForTransactions(ctx, [row.id]);
  if (done!.status !== "confirmed") throw new Error(`granting the settlement contract ${settlement} the right to allocate ${token} failed: ${done!.error ?? done!.status}`);
}

/** The stablecoin balance of an address, in base units. */
export function stablecoinBalance(ctx: Pick<ChainContext, "client">, setup: StablecoinSetup, holder: Address): Promise<bigint> {
  return ctx.client.readContract({ address: setup.stablecoin, abi: yenStablecoinAbi, functionName: "balanceOf", args: [holder] });
}

/** Yen as the stablecoin's base units. */
export const yenToUnits = (setup: Pick<StablecoinSetup, "decimals">, yen: number): bigint => BigInt(yen) * 10n ** BigInt(setup.decimals);

/** Demo mode only: mints `yen` of the dev stablecoin to `to` through the signer queue and waits for it. */
export async function mintStablecoin(ctx: ChainContext, setup: StablecoinSetup, to: Address, yen: number): Promise<ChainTransaction> {
  if (!env().isDemo) throw new Error("minting the stablecoin is for the dev chain only (demo mode)");
  if (!Number.isSafeInteger(yen) || yen <= 0) throw new Error(`cannot mint ${yen} yen`);
  const row = await submitTransaction(ctx.db, ctx, mintStablecoinIntent(setup.stablecoin, to, yenToUnits(setup, yen), { yen }));
  const [done] = await waitForTransactions(ctx, [row.id]);
  return done!;
}
