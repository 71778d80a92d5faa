import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { identityDocuments, type ledgerEntries, offerings, type orderEvents, orders } from "@/db/schema";
import { seedIfEmpty, DEMO_OFFERING_SLUG } from "@/db/seed";
import { startStripeEmulator, type StripeEmulator } from "@village/stripe-emulator";
import { freePort } from "@/scripts/lib/ports";
import { documentsToAccept, acceptDocuments } from "@/lib/onboarding/documents";
import { recordSuitability, saveProfile } from "@/lib/onboarding/profile";
import { makeUser, VALID_PROFILE } from "../fixtures";

export const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString("hex")}`;

/** Settings must be in place before lib/env is first read in this test file. */
export async function configurePayments(): Promise<number> {
  const port = await freePort();
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  process.env.STRIPE_EMULATOR_PORT = String(port);
  delete process.env.STRIPE_SECRET_KEY;
  return port;
}

/** The emulator, delivering signed webhooks over HTTP to the portal's real route handler. */
export async function startPaymentsHarness(port: number): Promise<{ emulator: StripeEmulator; stop(): Promise<void> }> {
  const { POST } = await import("@/app/api/stripe/webhook/route");
  const receiver: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await POST(new Request("http://127.0.0.1/api/stripe/webhook", { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") }));
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverPort = (receiver.address() as { port: number }).port;
  const emulator = await startStripeEmulator({
    port,
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: `http://127.0.0.1:${receiverPort}/`,
    retry: { attempts: 3, baseDelayMs: 50 },
  });
  return {
    emulator,
    async stop() {
      await emulator.stop();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}

/** Stands in for a deployed token: these tests run without a chain, and no order is taken without a contract. */
const PLACEHOLDER_TOKEN = "0x000000000000000000000000000000000000c0de";

export async function demoOffering() {
  await seedIfEmpty(getDb());
  // The dev chain deploys the seeded offering's token at start; here it gets the placeholder instead.
  await getDb()
    .update(offerings)
    .set({ chainId: 31337, tokenAddress: PLACEHOLDER_TOKEN })
    .where(and(eq(offerings.slug, DEMO_OFFERING_SLUG), isNull(offerings.tokenAddress)));
  const [offering] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  return offering!;
}

/** An investor who completed onboarding and whose identity was approved. */
export async function approvedInvestor() {
  const user = await makeUser();
  await saveProfile(user.id, { ...VALID_PROFILE, prefecture: "33" } as never);
  await recordSuitability(user.id, { experience: "1_to_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: "support_village" });
  await acceptDocuments(
    user.id,
    (await documentsToAccept(user.id)).map((doc) => doc.id),
  );
  await getDb().insert(identityDocuments).values({ userId: user.id, storageKey: "identity/x.png", contentType: "image/png", sizeBytes: 1, status: "approved" });
  return { ...user, locale: "ja" as const };
}

export async function orderById(id: string) {
  const [order] = await getDb().select().from(orders).where(eq(orders.id, id));
  return order!;
}

export async function countWhere(table: typeof ledgerEntries | typeof orderEvents, condition: ReturnType<typeof eq>) {
  return (await getDb().select({ n: count() }).from(table).where(condition))[0]!.n;
}

export async function jobsFor(name: string, orderId: string) {
  const rows = await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = ${name} and data->>'orderId' = ${orderId}`);
  return Number(rows[0]!.n);
}

/** Invariants 1 and 4: the cap holds, and yen received equals paid orders minus refunds. */
export async function assertInvariants(offeringId: string) {
  const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, offeringId));
  const paid = await getDb().execute<{ units: string; yen: string }>(sql`
    select coalesce(sum(units), 0) as units, coalesce(sum(amount_yen), 0) as yen from orders
    where offering_id = ${offeringId} and status in ('paid', 'allocating', 'allocated', 'disputed')`);
  const open = await getDb().execute<{ units: string }>(sql`
    select coalesce(sum(units), 0) as units from orders where offering_id = ${offeringId} and status in ('reserved', 'awaiting_payment')`);
  const ledger = await getDb().execute<{ yen: string }>(sql`select coalesce(sum(yen), 0) as yen from ledger_entries where offering_id = ${offeringId}`);
  return {
    withinCap: offering!.reservedUnits + offering!.soldUnits <= offering!.capUnits,
    soldMatchesPaid: offering!.soldUnits === Number(paid[0]!.units),
    reservedMatchesOpen: offering!.reservedUnits === Number(open[0]!.units),
    yenMatches: Number(ledger[0]!.yen) === Number(paid[0]!.yen),
  };
}
