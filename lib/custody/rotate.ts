import "server-only";
import { getDb } from "@/db/client";
import { wallets } from "@/db/schema";
import { rewrapIssuerKey } from "@/lib/chain/issuer-key";
import { currentMasterVersion, type MasterKeys } from "./envelope";
import { rotateWalletKeys } from "./wallets";

export type CustodyRotation = {
  masterKeyVersion: number;
  rewrapped: number;
  /** The issuer key re-sealed under masterKeyVersion: it is a setting, so the operator sets this value. Null without one. */
  issuerKeySealed: string | null;
  /** Configured versions that nothing uses once CHAIN_ISSUER_KEY_SEALED holds the value above. */
  retirable: number[];
};

/**
 * Moves everything sealed under an older master key version to the newest one: every wallet's
 * data key in place in the database, and the sealed issuer key (CHAIN_ISSUER_KEY_SEALED).
 */
export async function rotateCustody(keys: MasterKeys, issuerKeySealed: string | null, batchSize?: number): Promise<CustodyRotation> {
  const { rewrapped } = await rotateWalletKeys(keys, batchSize);
  const issuer = issuerKeySealed ? rewrapIssuerKey(issuerKeySealed, keys) : null;
  // A portal still running without the newest version seals new wallets under an older one.
  const inUse = new Set((await getDb().selectDistinct({ version: wallets.masterKeyVersion }).from(wallets)).map((row) => row.version));
  if (issuer) inUse.add(issuer.masterKeyVersion);
  const masterKeyVersion = currentMasterVersion(keys);
  inUse.add(masterKeyVersion);
  return {
    masterKeyVersion,
    rewrapped,
    issuerKeySealed: issuer?.sealed ?? null,
    retirable: [...keys.keys()].filter((version) => !inUse.has(version)).sort((a, b) => a - b),
  };
}
