import { getAddress, parseSignature, type Address, type Hex } from "viem";
import { z } from "zod";

/**
 * The buyer's EIP-3009 ReceiveWithAuthorization: what the wallet signs (EIP-712 typed data, JSON
 * safe) and what the portal checks it against. No database or server code here: the pay button
 * sends exactly this JSON to the wallet.
 */

export const RECEIVE_WITH_AUTHORIZATION_TYPES = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** eth_signTypedData_v4 wants the domain's own type listed too (MetaMask refuses without it). */
const EIP712_DOMAIN_TYPE = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
] as const;

export type AuthorizationMessage = { from: Address; to: Address; value: string; validAfter: string; validBefore: string; nonce: Hex };

export type PaymentDomain = { name: string; version: string; chainId: number; verifyingContract: Address };

/** What the wallet is asked to sign: bigints as decimal strings. */
export type PaymentTypedData = {
  domain: PaymentDomain;
  types: { EIP712Domain: typeof EIP712_DOMAIN_TYPE; ReceiveWithAuthorization: typeof RECEIVE_WITH_AUTHORIZATION_TYPES.ReceiveWithAuthorization };
  primaryType: "ReceiveWithAuthorization";
  message: AuthorizationMessage;
};

export function paymentTypedData(domain: PaymentDomain, message: AuthorizationMessage): PaymentTypedData {
  return { domain, types: { EIP712Domain: EIP712_DOMAIN_TYPE, ...RECEIVE_WITH_AUTHORIZATION_TYPES }, primaryType: "ReceiveWithAuthorization", message };
}

/** Yen as the stablecoin's base units (decimal string); ¥1 is one coin. */
export function yenAsBaseUnits(yen: number, decimals: number): string {
  return (BigInt(yen) * 10n ** BigInt(decimals)).toString();
}

/** The authorisation's last second: the order's reservation end, in whole seconds. */
export function validBeforeOf(reservationExpiresAt: Date): string {
  return Math.floor(reservationExpiresAt.getTime() / 1000).toString();
}

const uintString = z.string().regex(/^\d{1,78}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

/** The authorisation as a form posts it; the server compares every field with what the order implies. */
export const submittedAuthorizationSchema = z.object({
  from: address,
  to: address,
  value: uintString,
  validAfter: uintString,
  validBefore: uintString,
  nonce: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
});

export type SubmittedAuthorization = z.infer<typeof submittedAuthorizationSchema>;

/** v, r, s as the settlement contract takes them. */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  const parsed = parseSignature(signature);
  return { v: Number(parsed.v ?? BigInt(parsed.yParity + 27)), r: parsed.r, s: parsed.s };
}

export function sameAddress(a: string, b: string): boolean {
  return getAddress(a) === getAddress(b);
}
