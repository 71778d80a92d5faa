import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { DEMO_BOND_SLUG } from "@/db/seed-bond";
import { DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import {
  chainTransactions,
  couponPayments,
  couponRuns,
  forcedTransferRequests,
  identityDocuments,
  images,
  legalDocuments,
  linkedWalletApprovals,
  linkedWallets,
  offerings,
  orders,
  paymentExceptions,
  perkClaims,
  perks,
  profileChangeRequests,
  projectSpending,
  projects,
  projectUpdates,
  recordSnapshots,
  users,
  voteOptions,
  votes,
  wallets,
  withdrawals,
} from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { uploadStorage } from "@/lib/uploads/storage";
import { PNG_1x1 } from "@/test/images";
import { TOKEN_A, TOKEN_B } from "@/test/actions/attack-world";
import { freezeHolders } from "@/test/actions/votes-world";

/**
 * The matrix's world: the demo seed, where "this" issuer is Umibe Town (its harbour token, bond,
 * projects, perks and vote) and "the other" is Nishimori Village, plus one of each thing the seed
 * lacks (a coupon run, a withdrawal, a perk claim, a pending review…), owned by kaito.hamada.
 */

export const WHO = ["anonymous", "investor", "otherInvestor", "staffThis", "staffOther", "admin"] as const;
export type Who = (typeof WHO)[number];

const db = () => getDb();
const one = async <T>(rows: Promise<T[]>): Promise<T> => {
  const [row] = await rows;
  if (!row) throw new Error("authz world: a seeded row is missing");
  return row;
};

async function userByEmail(email: string): Promise<SessionUser> {
  const row = await one(db().select().from(users).where(eq(users.email, email)));
  // Signed in just now: actions that ask for a recent sign-in get past that step.
  return { id: row.id, email: row.email!, name: row.name, role: row.role as SessionUser["role"], signedInAt: new Date() };
}

async function storedPng(purpose: "receipt", uploadedBy: string): Promise<string> {
  const storageKey = await uploadStorage().put("images", PNG_1x1, "image/png");
  const image = await one(db().insert(images).values({ storageKey, contentType: "image/png", width: 1, height: 1, sizeBytes: PNG_1x1.length, purpose, uploadedBy }).returning());
  return image.id;
}

export async function authzWorld() {
  await seedIfEmpty(db());
  const who: Record<Who, SessionUser | null> = {
    anonymous: null,
    investor: await userByEmail("kaito.hamada@example.jp"),
    otherInvestor: await userByEmail("shota.yamasaki@example.jp"),
    staffThis: await userByEmail("staff@umibe.example"),
    staffOther: await userByEmail("staff@village.example"),
    admin: await userByEmail("admin@village.example"),
  };
  const investor = who.investor!;
  const colleague = await userByEmail("staff2@umibe.example");
  const offering = await one(db().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG)));
  const otherOffering = await one(db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG)));
  const bond = await one(db().select().from(offerings).where(eq(offerings.slug, DEMO_BOND_SLUG)));
  // Tokens "deployed" (as the attack tests do), so that chain operations get past their first check.
  await db().update(offerings).set({ chainId: 31337, tokenAddress: TOKEN_B }).where(eq(offerings.id, offering.id));
  await db().update(offerings).set({ chainId: 31337, tokenAddress: TOKEN_A }).where(eq(offerings.id, otherOffering.id));

  const project = await one(db().select().from(projects).where(eq(projects.offeringId, offering.id)));
  const update = await one(db().select().from(projectUpdates).where(eq(projectUpdates.projectId, project.id)));
  const perk = await one(
    db()
      .select()
      .from(perks)
      .where(and(eq(perks.offeringId, offering.id), eq(perks.kind, "holding"))),
  );
  const vote = await one(db().select().from(votes).where(eq(votes.offeringId, offering.id)));
  const option = await one(db().select().from(voteOptions).where(eq(voteOptions.voteId, vote.id)));
  const disclosure = await one(db().select().from(legalDocuments).where(eq(legalDocuments.offeringId, offering.id)));
  const link = await one(db().select().from(linkedWallets).where(eq(linkedWallets.userId, investor.id)));
  const custodial = await one(db().select().from(wallets).where(eq(wallets.userId, investor.id)));

  // Kaito's identity document, with a real file behind it.
  const idKey = await uploadStorage().put("identity", PNG_1x1, "image/png");
  const idDoc = await one(db().update(identityDocuments).set({ storageKey: idKey, contentType: "image/png" }).where(eq(identityDocuments.userId, investor.id)).returning());

  // Things the seed does not have.
  const [order] = await db()
    .insert(orders)
    .values({ userId: investor.id, offeringId: offering.id, units: 1, amountYen: offering.priceYen, status: "awaiting_payment", reservationExpiresAt: new Date(Date.now() + 30 * 60_000) })
    .returning();
  const applicant = await one(
    db()
      .insert(users)
      .values({ email: `applicant-${randomUUID()}@example.jp`, role: "investor" })
      .returning(),
  );
  const newcomer = await one(
    db()
      .insert(users)
      .values({ email: `newcomer-${randomUUID()}@example.jp`, role: "investor" })
      .returning(),
  );
  // One of kaito's seeded paid orders, as if paid by card (a refund goes back through the processor).
  const [paidOrder] = await db()
    .update(orders)
    .set({ stripePaymentIntentId: `pi_${randomUUID().replaceAll("-", "")}` })
    .where(and(eq(orders.userId, investor.id), eq(orders.offeringId, offering.id), eq(orders.status, "paid")))
    .returning();
  // The vote's holders already frozen (the dev chain's job): retaking the snapshot needs no chain.
  await freezeHolders(offering.id, vote.recordDate, [{ userId: investor.id, units: 15 }]);
  const pendingDoc = await one(db().insert(identityDocuments).values({ userId: applicant.id, storageKey: idKey, contentType: "image/png", sizeBytes: PNG_1x1.length }).returning());
  const change = await one(
    db()
      .insert(profileChangeRequests)
      .values({ userId: (await userByEmail("misaki.okabayashi@example.jp")).id, oldValues: { phone: "0880-00-0000" }, newValues: { phone: "0880-11-1111" } })
      .returning(),
  );
  const approval = await one(db().insert(linkedWalletApprovals).values({ linkedWalletId: link.id, offeringId: bond.id, status: "requested" }).returning());
  const receiptId = await storedPng("receipt", who.staffThis!.id);
  const spending = await one(
    db()
      .insert(projectSpending)
      .values({ projectId: project.id, spentOn: new Date("2026-01-05T00:00:00+09:00"), amountYen: 12_000, descriptionJa: "資材", descriptionEn: "Materials", receiptImageId: receiptId })
      .returning(),
  );
  const claim = await one(db().insert(perkClaims).values({ perkId: perk.id, userId: investor.id, units: 15 }).returning());
  const snapshot = await one(
    db()
      .insert(recordSnapshots)
      .values({ offeringId: bond.id, paymentDate: "2031-03-31", recordDate: "2031-03-28", cutoffAt: new Date("2031-03-28T00:00:00+09:00"), status: "frozen" })
      .returning(),
  );
  const run = await one(
    db()
      .insert(couponRuns)
      .values({ offeringId: bond.id, snapshotId: snapshot.id, paymentNumber: 10, paymentDate: "2031-03-31", kind: "coupon", status: "prepared", preparedBy: colleague.id })
      .returning(),
  );
  const payment = await one(
    db().insert(couponPayments).values({ runId: run.id, userId: investor.id, units: 10, grossYen: 225, nationalTaxYen: 34, localTaxYen: 11, netYen: 180, status: "in_file" }).returning(),
  );
  // An approved run's payment: its notice is the investor's to download.
  const approvedRun = await one(
    db()
      .insert(couponRuns)
      .values({
        offeringId: bond.id,
        snapshotId: snapshot.id,
        paymentNumber: 9,
        paymentDate: "2031-03-31",
        kind: "coupon",
        status: "approved",
        preparedBy: colleague.id,
        approvedBy: who.staffThis!.id,
        approvedAt: new Date(),
      })
      .returning(),
  );
  const noticed = await one(
    db().insert(couponPayments).values({ runId: approvedRun.id, userId: investor.id, units: 10, grossYen: 225, nationalTaxYen: 34, localTaxYen: 11, netYen: 180, status: "in_file" }).returning(),
  );
  const tx = await one(db().insert(chainTransactions).values({ signer: TOKEN_B, chainId: 31337, kind: "allocate", status: "sent", payload: null }).returning());
  // One open payment case per staff decision on it, so that one decision does not close another's.
  const exception = (kind: "amount_mismatch" | "underpaid_transfer") =>
    one(
      db()
        .insert(paymentExceptions)
        .values({
          kind,
          stripeEventId: `evt_authz_${randomUUID()}`,
          eventType: "payment_intent.succeeded",
          orderId: order!.id,
          offeringId: offering.id,
          paymentIntentId: `pi_${randomUUID()}`,
          amountYen: 1_000,
        })
        .returning(),
    );
  const exceptions = { refund: await exception("amount_mismatch"), topUp: await exception("underpaid_transfer"), dismiss: await exception("amount_mismatch") };
  // The demo link is allowlisted on chain by the dev stack; here it is only recorded.
  await db()
    .update(linkedWalletApprovals)
    .set({ allowlistedAt: new Date() })
    .where(and(eq(linkedWalletApprovals.linkedWalletId, link.id), eq(linkedWalletApprovals.offeringId, offering.id)));
  const forced = await one(
    db()
      .insert(forcedTransferRequests)
      .values({ offeringId: offering.id, holderId: investor.id, fromAddress: custodial.address, units: 1, reason: "lost phone", requestedBy: colleague.id })
      .returning(),
  );
  const withdrawal = await one(
    db()
      .insert(withdrawals)
      .values({ userId: investor.id, offeringId: offering.id, linkedWalletId: link.id, fromAddress: custodial.address, toAddress: link.address, units: 1, requestKey: `authz-${Date.now()}-key` })
      .returning(),
  );

  return {
    who,
    colleague,
    issuerId: offering.villageId,
    otherIssuerId: otherOffering.villageId,
    offering,
    otherOffering,
    bond,
    project,
    update,
    perk,
    vote,
    option,
    disclosure,
    link,
    approval,
    custodialAddress: custodial.address,
    idDoc,
    pendingDoc,
    change,
    order: order!,
    spending,
    receiptId,
    claim,
    run,
    payment,
    noticed,
    tx,
    exceptions,
    applicant,
    newcomer,
    paidOrder: paidOrder!,
    forced,
    withdrawal,
  };
}

export type World = Awaited<ReturnType<typeof authzWorld>>;
