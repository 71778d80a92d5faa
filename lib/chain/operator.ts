import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getAddress, type Address, type PublicClient } from "viem";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { chainTransactions, orders, type Offering } from "@/db/schema";
import { chainReader, issuerAddress, type ChainContext } from "./context";

/**
 * What a staff operation on a token needs: the database, a chain reader and the signer's address.
 * It only queues transactions for the signer (the worker signs and sends them); no key is opened.
 */
export type Operator = { db: Db; client: PublicClient; chainId: number; signer: Address };

export function operatorFromEnv(): Operator {
  const { client, chainId } = chainReader();
  return { db: getDb(), client, chainId, signer: issuerAddress() };
}

export function operatorOf(ctx: ChainContext): Operator {
  return { db: ctx.db, client: ctx.client, chainId: ctx.chainId, signer: ctx.account.address };
}

export const signerOf = (op: Operator) => ({ account: { address: op.signer }, chainId: op.chainId });

/** The offering's token on the operator's chain, or null before it is deployed. */
export function tokenOf(op: Operator, offering: Pick<Offering, "tokenAddress" | "chainId">): Address | null {
  return offering.tokenAddress && offering.chainId === op.chainId ? getAddress(offering.tokenAddress) : null;
}

/** Why an operation was refused (each a key of chainOps.errors). */
export type OperationError =
  | "noToken"
  | "unreachable"
  | "notHolder"
  | "alreadyPaused"
  | "notPaused"
  | "alreadyFrozen"
  | "notFrozen"
  | "underway"
  | "disputeOpen"
  | "issuanceUnderway"
  | "perkBurnUnderway"
  | "openRequest"
  | "nothingToMove"
  | "ownRequest"
  | "notPending"
  | "notOpen"
  | "askAgain"
  | "walletChanged"
  | "onChainAlready";

export type OperationResult<T = object> = ({ ok: true } & T) | { ok: false; error: OperationError };

export const refuse = (error: OperationError): { ok: false; error: OperationError } => ({ ok: false, error });

/** A chain read that may fail when the node is down: null then. */
export async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** Whether a transaction of one of these kinds for the token is still waiting to be mined. */
export async function hasOpenTransaction(op: Operator, token: Address, kinds: string[], address?: Address): Promise<boolean> {
  const [row] = await op.db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.chainId, op.chainId),
        inArray(chainTransactions.kind, kinds),
        inArray(chainTransactions.status, ["pending", "sent"]),
        sql`lower(${chainTransactions.payload}->>'to') = ${token.toLowerCase()}`,
        address ? sql`${chainTransactions.payload}->'ref'->>'address' = ${address.toLowerCase()}` : undefined,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Whether the holder has an open card dispute on this offering (their freeze must stay). */
export async function hasOpenDispute(db: DbOrTx, offeringId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.offeringId, offeringId), eq(orders.userId, userId), eq(orders.status, "disputed")))
    .limit(1);
  return Boolean(row);
}
