import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getAddress, verifyTypedData, type Address, type Hex, type PublicClient } from "viem";
import { yenStablecoinAbi } from "@/contracts/artifacts/YenStablecoin";
import { getDb, violatesConstraint } from "@/db/client";
import { orders, stablecoinPayments, type StablecoinAuthorization } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { chainReader } from "@/lib/chain/context";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { inGroup, UNPAID } from "@/lib/orders/status";
import { transitionOrder } from "@/lib/orders/transitions";
import {
  paymentTypedData,
  RECEIVE_WITH_AUTHORIZATION_TYPES,
  sameAddress,
  validBeforeOf,
  yenAsBaseUnits,
  type AuthorizationMessage,
  type PaymentTypedData,
  type SubmittedAuthorization,
} from "./authorization";
import { payableOrder, type PaymentRefusal, type StablecoinOption } from "./availability";

/**
 * The buyer's side of a stablecoin payment: the typed data their wallet signs, and the signed
 * authorisation taken in. Everything is derived from the order again on submit; the client's copy
 * only has to match it.
 */

type Refused = { ok: false; error: PaymentRefusal };

/** What the order implies the authorisation says (all but who pays and the nonce). */
function expectedTerms(order: { amountYen: number; reservationExpiresAt: Date }, option: StablecoinOption) {
  return { to: option.setup.settlement, value: yenAsBaseUnits(order.amountYen, option.setup.decimals), validAfter: "0", validBefore: validBeforeOf(order.reservationExpiresAt) };
}

function domainOf(option: StablecoinOption) {
  return { name: option.setup.eip712Name, version: option.setup.eip712Version, chainId: env().chain.chainId, verifyingContract: option.setup.stablecoin };
}

export type PreparedPayment = { ok: true; typedData: PaymentTypedData; amountYen: number; payFrom: Address; custodial: Address | null };

/**
 * The EIP-712 ReceiveWithAuthorization for the buyer's wallet to sign: the order's yen in base
 * units to the settlement contract, valid until the reservation ends, under a fresh random nonce.
 * `from` is the wallet the browser offers; it must be one the buyer linked (else their latest).
 */
export async function prepareStablecoinPayment(user: { id: string }, orderId: string, options: { from?: string; now?: Date } = {}): Promise<PreparedPayment | Refused> {
  const payable = await payableOrder(getDb(), user.id, orderId, options.now ?? new Date());
  if (!payable.ok) return payable;
  const { order, option } = payable;
  const payFrom = option.payFrom.filter((address) => !sameAddress(address, option.payee));
  const from = options.from ? payFrom.find((address) => sameAddress(address, options.from!)) : payFrom[0];
  if (!from) return { ok: false, error: "walletNotLinked" };
  const nonce = `0x${randomBytes(32).toString("hex")}` as Hex;
  const message: AuthorizationMessage = { from, ...expectedTerms(order, option), nonce };
  return { ok: true, typedData: paymentTypedData(domainOf(option), message), amountYen: order.amountYen, payFrom: from, custodial: option.custodial };
}

async function signedByPayer(option: StablecoinOption, auth: SubmittedAuthorization): Promise<boolean> {
  try {
    return await verifyTypedData({
      address: getAddress(auth.from),
      domain: domainOf(option),
      types: RECEIVE_WITH_AUTHORIZATION_TYPES,
      primaryType: "ReceiveWithAuthorization",
      message: {
        from: getAddress(auth.from),
        to: getAddress(auth.to),
        value: BigInt(auth.value),
        validAfter: BigInt(auth.validAfter),
        validBefore: BigInt(auth.validBefore),
        nonce: auth.nonce as Hex,
      },
      signature: auth.signature as Hex,
    });
  } catch {
    return false;
  }
}

/** The payer's coins, or null when the chain cannot be read now (the contract is the real guard). */
async function balanceOf(client: PublicClient, option: StablecoinOption, holder: Address): Promise<bigint | null> {
  try {
    return await client.readContract({ address: option.setup.stablecoin, abi: yenStablecoinAbi, functionName: "balanceOf", args: [holder] });
  } catch {
    return null;
  }
}

/**
 * Takes in the signed authorisation: checked against the order (amount, settlement contract, time
 * window, a wallet the buyer linked, the signature itself, the payer's balance), then in one
 * transaction under the order's lock the payment is recorded (one in flight per order, by a unique
 * index), the order awaits payment and the settlement job is queued.
 */
export async function submitStablecoinPayment(
  user: { id: string },
  input: { orderId: string; authorization: SubmittedAuthorization },
  options: { now?: Date; client?: PublicClient | null } = {},
): Promise<{ ok: true; paymentId: string } | Refused> {
  const now = options.now ?? new Date();
  const db = getDb();
  const payable = await payableOrder(db, user.id, input.orderId, now);
  if (!payable.ok) return payable;
  const { order, option } = payable;
  const auth = input.authorization;
  if (!option.payFrom.some((address) => sameAddress(address, auth.from))) return { ok: false, error: "walletNotLinked" };
  // The issuer's own treasury paying itself would move no money and still deliver the tokens.
  if (sameAddress(auth.from, option.payee)) return { ok: false, error: "mismatch" };
  const expected = expectedTerms(order, option);
  if (!sameAddress(auth.to, expected.to) || auth.value !== expected.value || auth.validAfter !== expected.validAfter || auth.validBefore !== expected.validBefore) {
    return { ok: false, error: "mismatch" };
  }
  if (!(await signedByPayer(option, auth))) return { ok: false, error: "badSignature" };
  const client = options.client === undefined ? chainReader().client : options.client;
  const balance = client ? await balanceOf(client, option, getAddress(auth.from)) : null;
  if (balance !== null && balance < BigInt(expected.value)) return { ok: false, error: "notEnoughCoins" };

  const authorization: StablecoinAuthorization = { kind: "eip3009", ...auth, from: getAddress(auth.from), to: getAddress(auth.to) };
  try {
    return await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(orders).where(eq(orders.id, order.id)).for("update");
      if (!locked || !inGroup(UNPAID, locked.status)) return { ok: false as const, error: "notOpen" as const };
      if (locked.reservationExpiresAt.getTime() <= now.getTime()) return { ok: false as const, error: "expired" as const };
      const [payment] = await tx
        .insert(stablecoinPayments)
        .values({ orderId: order.id, payer: authorization.from, stablecoin: option.setup.stablecoin, amount: expected.value, authorization })
        .returning({ id: stablecoinPayments.id });
      const paymentId = payment!.id;
      await transitionOrder(tx, order.id, "awaiting_payment", { from: ["reserved"], detail: { method: "stablecoin", paymentId } });
      await recordAudit(tx, {
        actorId: user.id,
        action: "stablecoin.payment_submitted",
        targetType: "order",
        targetId: order.id,
        detail: { paymentId, payer: authorization.from, amount: expected.value, yen: order.amountYen },
      });
      await enqueue(tx, JOBS.stablecoinSettle, { paymentId });
      return { ok: true as const, paymentId };
    });
  } catch (error) {
    if (violatesConstraint(error, "stablecoin_payments_one_in_flight")) return { ok: false, error: "inFlight" };
    throw error;
  }
}
