import "server-only";
import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chainTransactions, stablecoinPayments } from "@/db/schema";
import { settlementFailure, type SettlementFailure } from "./failure";

export type PaymentView = { id: string; status: "submitted" | "confirmed" | "failed"; failure: SettlementFailure | null; payer: string; txHash: string | null; createdAt: Date };

/** The order's latest stablecoin payment, for its page: on its way, confirmed, or failed and why. */
export async function latestStablecoinPayment(orderId: string): Promise<PaymentView | null> {
  const [row] = await getDb()
    .select({ payment: stablecoinPayments, txHash: chainTransactions.txHash })
    .from(stablecoinPayments)
    .leftJoin(chainTransactions, eq(chainTransactions.id, stablecoinPayments.chainTransactionId))
    .where(eq(stablecoinPayments.orderId, orderId))
    .orderBy(desc(stablecoinPayments.createdAt))
    .limit(1);
  if (!row) return null;
  const { payment } = row;
  return {
    id: payment.id,
    status: payment.status,
    failure: payment.status === "failed" ? settlementFailure(payment.error) : null,
    payer: payment.payer,
    txHash: row.txHash,
    createdAt: payment.createdAt,
  };
}
