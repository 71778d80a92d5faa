import { and, eq, isNull, ne } from "drizzle-orm";
import { closeDb, getDb } from "@/db/client";
import { offerings } from "@/db/schema";
import { chainContext } from "@/lib/chain/context";
import { deployOfferingToken } from "@/lib/chain/deploy-offering";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { deploySettlementIntent } from "@/lib/stablecoin/platform-intents";

/**
 * `npm run chain:deploy [-- --offering SLUG]`: deploys the VillageToken of an offering (default:
 * every offering that is not a draft and has no token yet) to the configured chain
 * (CHAIN_RPC_URL, CHAIN_ID), signed with the sealed issuer key through the signer queue, and
 * stores its address. Prints one JSON line per offering.
 *
 * `npm run chain:deploy -- --settlement`: deploys the stablecoin settlement contract (the issuer
 * key is its admin and operator) and prints its address for STABLECOIN_SETTLEMENT_ADDRESS; each
 * token grants it the issuer role at its first stablecoin payment.
 */
if (process.argv.includes("--settlement")) {
  const ctx = chainContext();
  const row = await submitTransaction(ctx.db, ctx, deploySettlementIntent(ctx.account.address));
  const [done] = await waitForTransactions(ctx, [row.id]);
  const address = done?.status === "confirmed" ? done.payload?.createdAddress : undefined;
  console.log(
    JSON.stringify(
      address
        ? { deploy: "ok", contract: "VillageSettlement", chainId: ctx.chainId, address, txHash: done!.txHash }
        : { deploy: "failed", contract: "VillageSettlement", error: done?.error ?? "no address" },
    ),
  );
  await closeDb();
  process.exit(address ? 0 : 1);
}
const flag = process.argv.indexOf("--offering");
const slug = flag >= 0 ? process.argv[flag + 1] : undefined;
const db = getDb();
const targets = await db
  .select({ id: offerings.id, slug: offerings.slug })
  .from(offerings)
  .where(slug ? eq(offerings.slug, slug) : and(isNull(offerings.tokenAddress), ne(offerings.status, "draft")));
if (targets.length === 0) {
  console.error(slug ? `no offering ${slug}` : "every offering already has a token");
  await closeDb();
  process.exit(slug ? 1 : 0);
}
const ctx = chainContext();
let failed = false;
for (const target of targets) {
  try {
    const token = await deployOfferingToken(ctx, target.id);
    console.log(JSON.stringify({ deploy: token.deployed ? "ok" : "exists", offering: target.slug, chainId: ctx.chainId, tokenAddress: token.tokenAddress, txHash: token.txHash }));
  } catch (error) {
    failed = true;
    console.log(JSON.stringify({ deploy: "failed", offering: target.slug, error: error instanceof Error ? error.message : String(error) }));
  }
}
await closeDb();
process.exit(failed ? 1 : 0);
