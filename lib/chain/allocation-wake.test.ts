import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { ledgerEntries, orders } from "@/db/schema";
import { env } from "@/lib/env";
import { JOBS } from "@/lib/jobs/names";
import { workerBoss } from "@/lib/jobs/worker";
import { makeCheckoutOrder, paidCheckoutWebhook, webhookRequest } from "@/test/chain-checkout";
import { makeInvestor, startChainOffering, type HardhatNode } from "@/test/chain-support";
import { configurePayments, WEBHOOK_SECRET } from "@/test/orders/harness";
import { allowlistWallets } from "./allowlist";
import type { ChainContext } from "./context";
import { registerChainJobs } from "./jobs";

// The webhook's settings must be in place before lib/env is first read.
await configurePayments();
const { POST } = await import("@/app/api/stripe/webhook/route");

const POLL_SECONDS = 30;
let node: HardhatNode;
let ctx: ChainContext;
let offering: { id: string; token: Address };
let boss: PgBoss | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function allocateJobsOpen(): Promise<number> {
  const rows = await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = ${JOBS.allocate} and state in ('created', 'retry', 'active')`);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  ({ node, ctx, offering } = await startChainOffering(getDb()));
  boss = workerBoss(env().databaseUrl);
  await boss.start();
  // Polling alone would look for new allocation jobs only every 30 s.
  await registerChainJobs(boss, { context: ctx, allocatePollSeconds: POLL_SECONDS });
  // The worker's first run (a sweep, itself woken by its job's NOTIFY) is done: it sits in its 30 s wait.
  for (let i = 0; i < 100 && (await allocateJobsOpen()) > 0; i++) await sleep(50);
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await node?.stop();
});

describe("allocation woken by the payment", () => {
  it("allocates an order paid through the webhook within seconds, though the allocator polls only every 30 s", async () => {
    const investor = await makeInvestor(getDb());
    await allowlistWallets(ctx, [investor.userId]);
    const order = await makeCheckoutOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units: 3 });

    const response = await POST(webhookRequest(paidCheckoutWebhook(order, WEBHOOK_SECRET)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: "applied" });
    const paidAt = Date.now();

    let status = "";
    while (Date.now() - paidAt < 10_000) {
      [{ status }] = (await getDb().select({ status: orders.status }).from(orders).where(eq(orders.id, order.id))) as [{ status: string }];
      if (status === "allocated") break;
      await sleep(50);
    }
    expect(status).toBe("allocated");
    const ledger = await getDb()
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.orderId, order.id), inArray(ledgerEntries.kind, ["tokens_allocated"])));
    expect(ledger).toMatchObject([{ units: 3, userId: investor.userId }]);
    const minted = await ctx.client.getContractEvents({ address: offering.token, abi: villageTokenAbi, eventName: "Allocated", args: { orderSeq: BigInt(order.seq) }, fromBlock: 0n });
    expect(minted).toHaveLength(1);
  });
});
