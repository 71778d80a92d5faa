import "server-only";
import { getAddress, isHex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { openSecret, rewrapDataKey, sealSecret, type MasterKeys, type SealedKey } from "@/lib/custody/envelope";
import { env } from "@/lib/env";
import { wellKnownDevAccountIndex } from "./dev-accounts";

/**
 * The issuer's signing key for CHAIN_ISSUER_KEY_SEALED: base64 of JSON
 * {address, encryptedKey, wrappedDataKey, masterKeyVersion}, sealed like a custodial wallet key.
 * A well-known dev account (anyone can sign with it) is refused outside demo mode.
 */
export function sealIssuerKey(privateKey: string, keys: MasterKeys, options: { allowDevKey?: boolean } = {}): { address: string; sealed: string } {
  const hex = privateKey.trim().startsWith("0x") ? privateKey.trim() : `0x${privateKey.trim()}`;
  if (!isHex(hex) || hex.length !== 66) throw new Error("expected a 32-byte private key in hex (64 hex digits, 0x optional)");
  const address = privateKeyToAccount(hex).address;
  refuseDevAccount(address, options.allowDevKey);
  const secret = Buffer.from(hex.slice(2), "hex");
  try {
    return { address, sealed: encode(address, sealSecret(secret, address, keys)) };
  } finally {
    secret.fill(0);
  }
}

export function openIssuerKey(sealed: string, keys: MasterKeys, options: { allowDevKey?: boolean } = {}): LocalAccount {
  const { address, envelope } = decode(sealed);
  const secret = openSecret(envelope, address, keys);
  try {
    const account = privateKeyToAccount(`0x${secret.toString("hex")}`);
    if (account.address !== getAddress(address)) throw new Error("CHAIN_ISSUER_KEY_SEALED: the key does not belong to its stated address");
    refuseDevAccount(account.address, options.allowDevKey);
    return account;
  } finally {
    secret.fill(0);
  }
}

/**
 * The same key re-sealed under the newest master key version (only its data key is re-wrapped;
 * the key itself is never opened), so that older versions can be retired. Unchanged if current.
 */
export function rewrapIssuerKey(sealed: string, keys: MasterKeys): { sealed: string; masterKeyVersion: number; changed: boolean } {
  const { address, envelope } = decode(sealed);
  const next = rewrapDataKey(envelope, address, keys);
  if (next === envelope) return { sealed, masterKeyVersion: envelope.masterKeyVersion, changed: false };
  return { sealed: encode(address, next), masterKeyVersion: next.masterKeyVersion, changed: true };
}

function refuseDevAccount(address: string, allowDevKey?: boolean): void {
  const index = wellKnownDevAccountIndex(address);
  if (index < 0 || (allowDevKey ?? env().isDemo)) return;
  throw new Error(`the issuer key is the public Hardhat dev account ${index} (${address}): anyone can sign with it, so live mode refuses it`);
}

const encode = (address: string, envelope: SealedKey) => Buffer.from(JSON.stringify({ address, ...envelope }), "utf8").toString("base64");

function decode(sealed: string): { address: string; envelope: SealedKey } {
  let parsed: { address?: string; encryptedKey?: string; wrappedDataKey?: string; masterKeyVersion?: number };
  try {
    parsed = JSON.parse(Buffer.from(sealed, "base64").toString("utf8"));
  } catch {
    throw new Error("CHAIN_ISSUER_KEY_SEALED is not base64 JSON (make it with npm run chain:seal-issuer-key)");
  }
  const { address, encryptedKey, wrappedDataKey, masterKeyVersion } = parsed;
  if (!address || !encryptedKey || !wrappedDataKey || typeof masterKeyVersion !== "number") {
    throw new Error("CHAIN_ISSUER_KEY_SEALED lacks address, encryptedKey, wrappedDataKey or masterKeyVersion");
  }
  return { address, envelope: { encryptedKey, wrappedDataKey, masterKeyVersion } };
}
