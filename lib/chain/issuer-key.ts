import "server-only";
import { getAddress, isHex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { openSecret, sealSecret, type MasterKeys } from "@/lib/custody/envelope";

/**
 * The issuer's signing key for CHAIN_ISSUER_KEY_SEALED: base64 of JSON
 * {address, encryptedKey, wrappedDataKey, masterKeyVersion}, sealed like a custodial wallet key.
 */
export function sealIssuerKey(privateKey: string, keys: MasterKeys): { address: string; sealed: string } {
  const hex = privateKey.trim().startsWith("0x") ? privateKey.trim() : `0x${privateKey.trim()}`;
  if (!isHex(hex) || hex.length !== 66) throw new Error("expected a 32-byte private key in hex (64 hex digits, 0x optional)");
  const address = privateKeyToAccount(hex).address;
  const secret = Buffer.from(hex.slice(2), "hex");
  try {
    const envelope = sealSecret(secret, address, keys);
    return { address, sealed: Buffer.from(JSON.stringify({ address, ...envelope }), "utf8").toString("base64") };
  } finally {
    secret.fill(0);
  }
}

export function openIssuerKey(sealed: string, keys: MasterKeys): LocalAccount {
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
  const secret = openSecret({ encryptedKey, wrappedDataKey, masterKeyVersion }, address, keys);
  try {
    const account = privateKeyToAccount(`0x${secret.toString("hex")}`);
    if (account.address !== getAddress(address)) throw new Error("CHAIN_ISSUER_KEY_SEALED: the key does not belong to its stated address");
    return account;
  } finally {
    secret.fill(0);
  }
}
