import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { wallets, users } from "@/db/schema";
import { testDb } from "@/test/db";
import { CustodyError, openSecret, rewrapDataKey, sealSecret, type MasterKeys } from "./envelope";
import { createWalletFor, rotateWalletKeys, walletAccount } from "./wallets";

const v1: MasterKeys = new Map([[1, randomBytes(32)]]);
const address = "0x1111111111111111111111111111111111111111";
const secret = randomBytes(32);

describe("envelope encryption", () => {
  it("round-trips a key and never stores it in the clear", () => {
    const sealed = sealSecret(secret, address, v1);
    expect(sealed.masterKeyVersion).toBe(1);
    expect(openSecret(sealed, address, v1).equals(secret)).toBe(true);
    expect(sealed.encryptedKey).not.toContain(secret.toString("hex"));
    expect(sealed.encryptedKey).not.toContain(secret.toString("base64url"));
  });

  it("fails with a clear error when the ciphertext is altered", () => {
    const sealed = sealSecret(secret, address, v1);
    const [iv, body, tag] = sealed.encryptedKey.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    const tampered = { ...sealed, encryptedKey: [iv, flipped.toString("base64url"), tag].join(".") };
    expect(() => openSecret(tampered, address, v1)).toThrow(CustodyError);
    expect(() => openSecret(tampered, address, v1)).toThrow(/altered, or the key is wrong/);
    expect(() => openSecret({ ...sealed, wrappedDataKey: "x.y.z" }, address, v1)).toThrow(/malformed/);
  });

  it("fails with the wrong master key, a missing version, or another wallet's row", () => {
    const sealed = sealSecret(secret, address, v1);
    expect(() => openSecret(sealed, address, new Map([[1, randomBytes(32)]]))).toThrow(CustodyError);
    expect(() => openSecret(sealed, address, new Map([[2, randomBytes(32)]]))).toThrow(/version 1 is not configured/);
    expect(() => openSecret(sealed, "0x2222222222222222222222222222222222222222", v1)).toThrow(CustodyError);
  });

  it("re-wraps only the data key under a new master version", () => {
    const sealed = sealSecret(secret, address, v1);
    const both: MasterKeys = new Map([...v1, [2, randomBytes(32)]]);
    const rewrapped = rewrapDataKey(sealed, address, both);
    expect(rewrapped.masterKeyVersion).toBe(2);
    expect(rewrapped.encryptedKey).toBe(sealed.encryptedKey);
    expect(openSecret(rewrapped, address, new Map([[2, both.get(2)!]])).equals(secret)).toBe(true);
  });
});

describe("custodial wallets in the database", () => {
  const { db, client } = testDb();
  afterAll(() => client.end());

  it("creates one wallet per user, keeps every wallet readable through a rotation, and stores no key in plaintext", async () => {
    const userRows = await db
      .insert(users)
      .values(Array.from({ length: 5 }, (_, i) => ({ email: `holder${i}@example.jp` })))
      .returning();
    const created = [];
    for (const user of userRows) created.push(await createWalletFor(db, user.id, v1));
    expect((await createWalletFor(db, userRows[0]!.id, v1)).address).toBe(created[0]!.address);
    expect(new Set(created.map((wallet) => wallet.address)).size).toBe(5);

    const privateKeys = [];
    for (const user of userRows) {
      const account = await walletAccount(user.id, v1);
      expect(account.address).toBe(created[userRows.indexOf(user)]!.address);
      privateKeys.push(account);
    }

    const v2: MasterKeys = new Map([...v1, [2, randomBytes(32)]]);
    expect(await rotateWalletKeys(v2, 2)).toEqual({ rewrapped: 5 });
    expect(await rotateWalletKeys(v2, 2)).toEqual({ rewrapped: 0 });
    const onlyV2: MasterKeys = new Map([[2, v2.get(2)!]]);
    for (const [i, user] of userRows.entries()) {
      expect((await walletAccount(user.id, onlyV2)).address).toBe(created[i]!.address);
    }
    await expect(walletAccount(userRows[0]!.id, v1)).rejects.toThrow(/version 2 is not configured/);

    const secrets: string[] = [];
    for (const user of userRows) {
      const row = (await db.select().from(wallets).where(sql`${wallets.userId} = ${user.id}`))[0]!;
      const key = openSecret(row, row.address, onlyV2);
      expect(privateKeyToAccount(`0x${key.toString("hex")}`).address).toBe(row.address);
      secrets.push(key.toString("hex"), key.toString("base64"), key.toString("base64url"));
    }
    for (const master of v2.values()) secrets.push(master.toString("hex"), master.toString("base64"));

    // Invariant 5: dump every table of the database and look for any of those keys, in any encoding.
    const tables = await db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    expect(tables.length).toBeGreaterThan(10);
    let dump = "";
    for (const { table_name } of tables) {
      const [row] = await db.execute<{ rows: string | null }>(sql.raw(`select json_agg(t)::text as rows from "${table_name}" t`));
      dump += (row?.rows ?? "").toLowerCase();
    }
    expect(dump).toContain(created[0]!.address.toLowerCase());
    for (const value of secrets) expect(dump).not.toContain(value.toLowerCase());
  });
});
