import { and, eq, isNull } from "drizzle-orm";
import { createDb } from "@/db/client";
import { offerings } from "@/db/schema";
import { createChainContext, demoIssuerAccount } from "@/lib/chain/context";
import { deployOfferingToken } from "@/lib/chain/deploy-offering";
import { journalGenesis, replayJournal, resumeRealTime, verifyTokenCode } from "@/lib/chain/journal";
import { freezeDueHoldersSnapshots, journalIsEmpty, mintPastSales, pastSales } from "./demo-history";
import { preparePlatform } from "./dev-platform";
import { startHardhatNode } from "./hardhat-node";

const DEV_CHAIN_ID = 31337;

export type DevChain = { rpcUrl: string; stop(): Promise<void> };

async function answersRpc(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}`, { method: "POST", body: "{}", signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * The local chain of the dev stack: a Hardhat node (state in memory only, genesis dated before the
 * journal's first block) into which the journal of signed transactions is replayed at their
 * original block times on every start, so chain and database agree after a restart, dates
 * included. On an empty journal, a seeded sale that lies in the past (the demo bond) is first
 * minted at its own dates (./demo-history.ts). Then the clock returns to now and every approved
 * offering without a token gets it through the signer queue, so the demo can sell before the
 * worker's deployment job runs; the stablecoin platform follows (./dev-platform.ts: stablecoin,
 * settlement contract, its right to allocate each token, linked wallets, the demo wallet's funds), and
 * the holders' snapshots already due (the demo's perks and vote) are taken before the worker's sweep would.
 */
export async function startDevChain(options: { databaseUrl: string; port: number; log: (line: string) => void }): Promise<DevChain> {
  const { databaseUrl, port, log } = options;
  const started = performance.now();
  if (port !== 0 && (await answersRpc(port))) {
    throw new Error(`port ${port} is already in use (another chain node?): stop it, or set CHAIN_DEV_PORT to a free port`);
  }
  const { db, client } = createDb(databaseUrl, { max: 3 });
  let stopNode: (() => Promise<void>) | undefined;
  try {
    const history = (await journalIsEmpty(db, DEV_CHAIN_ID)) ? await pastSales(db) : [];
    const initialDate = await journalGenesis(
      db,
      DEV_CHAIN_ID,
      history.map((sale) => sale.approvedAt),
    );
    const node = await startHardhatNode({ port, chainId: DEV_CHAIN_ID, initialDate });
    stopNode = node.stop;
    const ctx = createChainContext({ db, rpcUrl: node.rpcUrl, chainId: DEV_CHAIN_ID, account: demoIssuerAccount(), pollMs: 50, waitTimeoutMs: 60_000 });
    const { replayed } = await replayJournal(ctx, log);
    await verifyTokenCode(ctx);
    if (history.length > 0) await mintPastSales(ctx, history, log);
    await resumeRealTime(ctx);
    const approved = await db
      .select({ id: offerings.id, slug: offerings.slug })
      .from(offerings)
      .where(and(eq(offerings.approvedRevision, offerings.termsRevision), isNull(offerings.tokenAddress)));
    for (const offering of approved) {
      const token = await deployOfferingToken(ctx, offering.id);
      if (token.deployed) log(`token of ${offering.slug} deployed at ${token.tokenAddress}`);
    }
    await preparePlatform(ctx, log);
    await freezeDueHoldersSnapshots(ctx, log);
    log(`chain ready on ${node.rpcUrl} (chain id ${DEV_CHAIN_ID}, ${replayed} transaction(s) replayed, ${Math.round(performance.now() - started)} ms)`);
    return { rpcUrl: node.rpcUrl, stop: () => node.stop() };
  } catch (error) {
    await stopNode?.();
    throw error;
  } finally {
    await client.end({ timeout: 5 });
  }
}
