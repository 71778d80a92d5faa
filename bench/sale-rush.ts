/**
 * N buyers rush a sale with a cap below N, through the real reservation path (validation,
 * onboarding checks, the conditional UPDATE, the order row, and Checkout Session creation against
 * the local Stripe emulator). The ceiling is the bare conditional UPDATE alone, on the same
 * database at the same concurrency. Prints one JSON line last.
 */
import { randomBytes } from "node:crypto";
import { benchDatabase, flag, percentile } from "./_harness";
import { UNPAID } from "../lib/orders/status";
import { freePort } from "../scripts/lib/ports";
import { startChild, stopChild, tsxCommand, waitForHttp } from "../scripts/lib/processes";

// Orders need a deployed contract; this bench stops at checkout, so a placeholder address serves.
const PLACEHOLDER_TOKEN = "0x000000000000000000000000000000000000c0de";
const buyers = flag("buyers", 1000);
const cap = flag("cap", Math.max(1, Math.floor(buyers / 2)));
const database = await benchDatabase();
const emulatorPort = await freePort();
process.env.STRIPE_EMULATOR_PORT = String(emulatorPort);
process.env.STRIPE_WEBHOOK_SECRET = `whsec_${randomBytes(16).toString("hex")}`;
// The emulator runs in its own process, as Stripe would be another machine.
const emulator = startChild("stripe", ...tsxCommand("packages/stripe-emulator/src/cli.ts"), {
  ...process.env,
  STRIPE_EMULATOR_PORT: String(emulatorPort),
  STRIPE_EMULATOR_QUIET: "1",
});
await waitForHttp(`http://127.0.0.1:${emulatorPort}/_emulator/health`, 20_000, () => emulator.exitCode === null);

const { getDb, closeDb } = await import("../db/client");
const { seedIfEmpty } = await import("../db/seed");
const schema = await import("../db/schema");
const { sql, eq } = await import("drizzle-orm");
const { placeOrder, currentDisclosure } = await import("../lib/orders/reserve");

try {
  const db = getDb();
  await seedIfEmpty(db);
  const [offering] = await db.select().from(schema.offerings).limit(1);
  await db.update(schema.offerings).set({ capUnits: cap, maxUnitsPerOrder: 1, chainId: 31337, tokenAddress: PLACEHOLDER_TOKEN }).where(eq(schema.offerings.id, offering!.id));
  const disclosure = (await currentDisclosure(offering!.id))!;

  // N investors who completed onboarding and were approved, inserted in bulk.
  const users = await db
    .insert(schema.users)
    .values(Array.from({ length: buyers }, (_, i) => ({ email: `rush-${i}@example.jp` })))
    .returning({ id: schema.users.id, email: schema.users.email });
  const docs = await db.select().from(schema.legalDocuments).where(sql`${schema.legalDocuments.kind} in ('risk_disclosure', 'terms')`);
  await db.insert(schema.investorProfiles).values(
    users.map((u) => ({
      userId: u.id,
      familyNameKanji: "山田",
      givenNameKanji: "太郎",
      familyNameKana: "ヤマダ",
      givenNameKana: "タロウ",
      birthDate: "1990-01-01",
      postalCode: "707-0503",
      prefecture: "33",
      city: "西森村",
      street: "1-1",
      phone: "0868000000",
      countryOfResidence: "JP",
    })),
  );
  await db
    .insert(schema.suitabilityAnswers)
    .values(users.map((u) => ({ userId: u.id, answers: { experience: "1_to_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: "support_village" }, suitable: "yes" as const })));
  await db.insert(schema.documentAcceptances).values(users.flatMap((u) => docs.map((d) => ({ userId: u.id, documentId: d.id }))));
  await db.insert(schema.identityDocuments).values(users.map((u) => ({ userId: u.id, storageKey: "identity/bench.png", contentType: "image/png", sizeBytes: 1, status: "approved" as const })));

  // Ceiling: the bare conditional UPDATE, same database, same pool, same concurrency.
  const [ceilingOffering] = await db
    .insert(schema.offerings)
    .values({ ...offering!, id: undefined, slug: "ceiling", capUnits: cap, reservedUnits: 0, soldUnits: 0 })
    .returning();
  const ceilingStart = performance.now();
  await Promise.all(
    users.map(() => db.execute(sql`update offerings set reserved_units = reserved_units + 1 where id = ${ceilingOffering!.id} and reserved_units + sold_units + 1 <= cap_units returning id`)),
  );
  const ceilingSeconds = (performance.now() - ceilingStart) / 1000;

  const latencies: number[] = [];
  const started = performance.now();
  const results = await Promise.all(
    users.map(async (user) => {
      const t0 = performance.now();
      const result = await placeOrder({ id: user.id, email: user.email, locale: "ja" }, { offeringId: offering!.id, units: 1, disclosureId: disclosure.id });
      latencies.push(performance.now() - t0);
      return result;
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const [after] = await db.select().from(schema.offerings).where(eq(schema.offerings.id, offering!.id));
  const [ordersHeld] = await db.execute<{ n: string }>(sql`select count(*) as n from orders where offering_id = ${offering!.id} and status in ${[...UNPAID]}`);
  const succeeded = results.filter((r) => r.ok).length;
  const refused = results.filter((r) => !r.ok && r.error === "soldOut").length;
  const oversold = Math.max(0, after!.reservedUnits + after!.soldUnits - after!.capUnits, Number(ordersHeld!.n) - cap);
  latencies.sort((a, b) => a - b);
  const perS = buyers / seconds;
  const ceilingPerS = buyers / ceilingSeconds;
  console.log(`buyers ${buyers}, cap ${cap}: ${succeeded} reserved, ${refused} refused as sold out, ${results.length - succeeded - refused} other refusals`);
  console.log(
    JSON.stringify({
      bench: "sale-rush",
      buyers,
      cap,
      succeeded,
      oversold,
      p50_ms: Math.round(percentile(latencies, 50)),
      p99_ms: Math.round(percentile(latencies, 99)),
      per_s: Math.round(perS),
      ceiling_per_s: Math.round(ceilingPerS),
      ratio: Number((perS / ceilingPerS).toFixed(3)),
    }),
  );
} finally {
  await closeDb();
  await stopChild(emulator);
  await database.stop();
}
