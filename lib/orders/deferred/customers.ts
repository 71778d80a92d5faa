import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { investorProfiles, paymentCustomers } from "@/db/schema";
import type { PaymentProvider } from "@/lib/payments/provider";

const PROVIDER = "stripe";

/** The name a voucher or a customer carries: the investor's name in kanji, else their email. */
export async function billingNameOf(user: { id: string; email: string }): Promise<string> {
  const [profile] = await getDb().select({ family: investorProfiles.familyNameKanji, given: investorProfiles.givenNameKanji }).from(investorProfiles).where(eq(investorProfiles.userId, user.id));
  const name = [profile?.family, profile?.given].filter(Boolean).join(" ").trim();
  return name || user.email;
}

/** The investor's customer at the processor, if one was made. */
export async function customerOfUser(db: DbOrTx, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ customerId: paymentCustomers.customerId })
    .from(paymentCustomers)
    .where(and(eq(paymentCustomers.userId, userId), eq(paymentCustomers.provider, PROVIDER)));
  return row?.customerId ?? null;
}

/**
 * The investor's customer at the processor (a bank transfer's virtual account is the customer's):
 * created once, and kept. Two first purchases at once both get the row that was written first.
 */
export async function customerFor(user: { id: string; email: string; name: string }, provider: PaymentProvider): Promise<string> {
  const known = await customerOfUser(getDb(), user.id);
  if (known) return known;
  const customerId = await provider.ensureCustomer({ userId: user.id, email: user.email, name: user.name });
  await getDb().insert(paymentCustomers).values({ userId: user.id, provider: PROVIDER, customerId }).onConflictDoNothing();
  const kept = await customerOfUser(getDb(), user.id);
  if (!kept) throw new Error(`customer ${customerId} of user ${user.id} was not recorded`);
  return kept;
}

/** The investor whose customer this is, or null for a customer the portal did not make. */
export async function userOfCustomer(db: DbOrTx, customerId: string): Promise<string | null> {
  const [row] = await db.select({ userId: paymentCustomers.userId }).from(paymentCustomers).where(eq(paymentCustomers.customerId, customerId));
  return row?.userId ?? null;
}
