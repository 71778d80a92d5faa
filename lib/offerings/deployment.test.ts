import { and, eq, sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, offerings, users } from "@/db/schema";
import { seedIfEmpty, DEMO_SECOND_STAFF_EMAIL, DEMO_STAFF_EMAIL } from "@/db/seed";
import type { SessionUser } from "@/lib/auth/roles";
import type { ChainContext } from "@/lib/chain/context";
import { env } from "@/lib/env";
import { startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { createOffering } from "./admin";
import { deploymentOf, runDeployJob } from "./deployment";
import { registerOfferingJobs } from "./jobs";
import { approveTerms, requeueDeployment } from "./launch";

let node: HardhatNode;
let ctx: ChainContext;
let author: SessionUser;
let approver: SessionUser;
let issuerId: string;
let counter = 0;

beforeAll(async () => {
  node = await startHardhatNode();
  ctx = testChainContext(getDb(), node.rpcUrl);
  await seedIfEmpty(getDb());
  const seeded = async (email: string): Promise<SessionUser> => {
    const [row] = await getDb().select().from(users).where(eq(users.email, email));
    return { id: row!.id, email, name: row!.name, role: row!.role };
  };
  [author, approver] = await Promise.all([seeded(DEMO_STAFF_EMAIL), seeded(DEMO_SECOND_STAFF_EMAIL)]);
  const [seededOffering] = await getDb().select().from(offerings).limit(1);
  issuerId = seededOffering!.villageId;
});
afterAll(async () => node?.stop());

/** An offering written by one staff member and approved by another: its deployment job is queued. */
async function approvedOffering(): Promise<string> {
  counter += 1;
  const created = await createOffering(author, {
    issuerId,
    slug: `deploy-${counter}`,
    kind: "village_token",
    nameJa: "デプロイのトークン",
    nameEn: "Deploy Token",
    descriptionJa: "テスト",
    descriptionEn: "Test",
    tokenSymbol: `DT${counter}`,
    priceYen: 1_000,
    capUnits: 100,
    minUnitsPerOrder: 1,
    maxUnitsPerOrder: 10,
    yearlyCapYenPerInvestor: 500_000,
    opensAt: new Date(Date.now() - 3_600_000),
    closesAt: new Date(Date.now() + 86_400_000),
  });
  if (!created.ok) throw new Error(created.error);
  expect(await approveTerms(approver, created.id, 1)).toEqual({ ok: true, deployQueued: true });
  return created.id;
}

const deploysOf = (offeringId: string) =>
  getDb()
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "deploy"), sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offeringId}`));
const offeringById = async (id: string) => (await getDb().select().from(offerings).where(eq(offerings.id, id)))[0]!;
const auditCount = async (id: string, action: string) =>
  (
    await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.action, action)))
  ).length;

describe("the token deployment job", () => {
  it("runs from the queue once the terms are approved, and deploys through the signer queue", async () => {
    const id = await approvedOffering();
    expect(await deploymentOf(await offeringById(id))).toMatchObject({ state: "queued" });
    const boss = new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss" });
    await boss.start();
    try {
      await registerOfferingJobs(boss, { context: ctx });
      for (let i = 0; i < 300 && !(await offeringById(id)).tokenAddress; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await boss.stop({ graceful: false });
    }
    const offering = await offeringById(id);
    const [deploy, ...more] = await deploysOf(id);
    expect(more).toHaveLength(0);
    expect(deploy).toMatchObject({ status: "confirmed", signer: ctx.account.address, chainId: 31337, nonce: expect.any(Number), txHash: expect.stringMatching(/^0x/) });
    expect(offering.tokenAddress).toBe(getAddress(deploy!.payload!.createdAddress!));
    expect(offering.chainId).toBe(31337);
    expect(await ctx.client.getCode({ address: offering.tokenAddress as `0x${string}` })).toMatch(/^0x[0-9a-f]{100,}/);
    expect(await auditCount(id, "token.deployed")).toBe(1);
    expect(await deploymentOf(offering)).toMatchObject({ state: "deployed", tokenAddress: offering.tokenAddress, txHash: deploy!.txHash });

    // Run again: nothing is deployed a second time.
    expect(await runDeployJob(ctx, id, false)).toBe("exists");
    expect(await deploysOf(id)).toHaveLength(1);
  });

  it("deploys one contract when two runs race", async () => {
    const id = await approvedOffering();
    const outcomes = await Promise.all([runDeployJob(ctx, id, false), runDeployJob(ctx, id, false)]);
    expect(outcomes).toContain("deployed");
    for (const outcome of outcomes) expect(["deployed", "exists"]).toContain(outcome);
    expect(await deploysOf(id)).toHaveLength(1);
    expect(await auditCount(id, "token.deployed")).toBe(1);
  });

  it("deploys nothing for terms that are not approved now", async () => {
    const id = await approvedOffering();
    await getDb().update(offerings).set({ termsRevision: 2 }).where(eq(offerings.id, id));
    expect(await runDeployJob(ctx, id, false)).toBe("skipped");
    expect(await deploysOf(id)).toHaveLength(0);
  });

  it("is retried while the node is down, says so in plain words after the last try, and deploys once staff queue it again", async () => {
    const id = await approvedOffering();
    const down = testChainContext(getDb(), "http://127.0.0.1:9", { waitTimeoutMs: 300 });
    await expect(runDeployJob(down, id, false)).rejects.toThrow(/not final/);
    expect(await deploymentOf(await offeringById(id))).toMatchObject({ state: "queued" });
    expect(await runDeployJob(down, id, true)).toBe("failed");
    expect(await deploymentOf(await offeringById(id))).toMatchObject({ state: "failed", reason: "unreachable" });
    expect(await auditCount(id, "token.deploy_failed")).toBe(1);

    expect(await requeueDeployment(approver, id)).toEqual({ ok: true });
    expect(await deploymentOf(await offeringById(id))).toMatchObject({ state: "queued" });
    expect(await runDeployJob(ctx, id, false)).toBe("deployed");
    // The transaction queued while the node was down is the one that went out.
    expect(await deploysOf(id)).toMatchObject([{ status: "confirmed" }]);
    expect(await requeueDeployment(approver, id)).toEqual({ ok: false, error: "alreadyDeployed" });
  });
});
