import "server-only";
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { getDb, type DbOrTx } from "@/db/client";
import { wallets } from "@/db/schema";
import { openSecret, rewrapDataKey, sealSecret, type MasterKeys } from "./envelope";

export type WalletView = { address: string; createdAt: Date; allowlistedAt: Date | null };

/** A fresh random secp256k1 key for the user; only the address is stored in clear. Idempotent. */
export async function createWalletFor(db: DbOrTx, userId: string, keys: MasterKeys): Promise<WalletView> {
  const [existing] = await db.select().from(wallets).where(eq(wallets.userId, userId));
  if (existing) return existing;
  const privateKey = generatePrivateKey();
  const address = privateKeyToAccount(privateKey).address;
  const sealed = sealSecret(Buffer.from(privateKey.slice(2), "hex"), address, keys);
  const [row] = await db
    .insert(wallets)
    .values({ userId, address, ...sealed })
    .onConflictDoNothing({ target: wallets.userId })
    .returning();
  if (row) return row;
  const [winner] = await db.select().from(wallets).where(eq(wallets.userId, userId));
  return winner!;
}

/**
 * A wallet reported lost: the user's wallet becomes a fresh random key (not allowlisted yet), so
 * nothing more is issued to the old address. The old key is dropped: the portal never signs with
 * a holder's key, and the issuer's forced transfer moves the old address's units without it.
 */
export async function replaceWalletOf(tx: DbOrTx, userId: string, oldAddress: string, keys: MasterKeys): Promise<{ address: string } | null> {
  const privateKey = generatePrivateKey();
  const address = privateKeyToAccount(privateKey).address;
  const sealed = sealSecret(Buffer.from(privateKey.slice(2), "hex"), address, keys);
  const [row] = await tx
    .update(wallets)
    .set({ address, ...sealed, allowlistedAt: null, createdAt: new Date() })
    .where(and(eq(wallets.userId, userId), sql`lower(${wallets.address}) = ${oldAddress.toLowerCase()}`))
    .returning({ address: wallets.address });
  return row ?? null;
}

export async function getWalletOf(userId: string): Promise<WalletView | null> {
  const db = getDb();
  const [row] = await db.select({ address: wallets.address, createdAt: wallets.createdAt, allowlistedAt: wallets.allowlistedAt }).from(wallets).where(eq(wallets.userId, userId));
  return row ?? null;
}

/** The signing account of a custodial wallet, for the signer queue only. */
export async function walletAccount(userId: string, keys: MasterKeys): Promise<PrivateKeyAccount> {
  const db = getDb();
  const [row] = await db.select().from(wallets).where(eq(wallets.userId, userId));
  if (!row) throw new Error("no wallet for this user");
  const secret = openSecret(row, row.address, keys);
  return privateKeyToAccount(`0x${secret.toString("hex")}`);
}

/**
 * Re-wraps every data key under the current master version, one small transaction per batch,
 * so the portal keeps reading wallets (each row names its own version) while this runs.
 */
export async function rotateWalletKeys(keys: MasterKeys, batchSize = 100): Promise<{ rewrapped: number }> {
  const db = getDb();
  const target = Math.max(...keys.keys());
  let rewrapped = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db
      .select()
      .from(wallets)
      .where(and(gt(wallets.id, after), lt(wallets.masterKeyVersion, target)))
      .orderBy(asc(wallets.id))
      .limit(batchSize);
    if (batch.length === 0) return { rewrapped };
    await db.transaction(async (tx) => {
      for (const row of batch) {
        const next = rewrapDataKey(row, row.address, keys);
        await tx
          .update(wallets)
          .set({ wrappedDataKey: next.wrappedDataKey, masterKeyVersion: next.masterKeyVersion })
          .where(and(eq(wallets.id, row.id), eq(wallets.masterKeyVersion, row.masterKeyVersion)));
      }
    });
    rewrapped += batch.length;
    after = batch[batch.length - 1]!.id;
  }
}
