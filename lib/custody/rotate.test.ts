import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { generatePrivateKey } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { openIssuerKey, sealIssuerKey } from "@/lib/chain/issuer-key";
import { testDb } from "@/test/db";
import type { MasterKeys } from "./envelope";
import { createWalletFor, walletAccount } from "./wallets";

const run = promisify(execFile);
const base64Keys = (keys: MasterKeys) => JSON.stringify(Object.fromEntries([...keys].map(([v, k]) => [String(v), k.toString("base64")])));

describe("npm run custody:rotate", () => {
  const { db, client } = testDb();
  afterAll(() => client.end());

  it("re-seals the issuer key too, so version 1 can be retired and the issuer key and every wallet still open", async () => {
    const v1: MasterKeys = new Map([[1, randomBytes(32)]]);
    const both: MasterKeys = new Map([...v1, [2, randomBytes(32)]]);
    const onlyV2: MasterKeys = new Map([[2, both.get(2)!]]);
    const holders = await db
      .insert(users)
      .values(Array.from({ length: 3 }, (_, i) => ({ email: `rotate${i}@example.jp` })))
      .returning();
    const created = [];
    for (const user of holders) created.push(await createWalletFor(db, user.id, v1));
    const issuer = sealIssuerKey(generatePrivateKey(), v1);

    const { stdout } = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/custody-rotate.ts"], {
      // As an operator runs it in production: live settings, version 2 just added to CUSTODY_MASTER_KEYS.
      env: {
        ...process.env,
        PORTAL_MODE: "live",
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "custody-rotate-")),
        AUTH_URL: "https://portal.example.jp",
        EMAIL_SERVER: "smtp://u:p@smtp.example.jp:587",
        EMAIL_FROM: "no-reply@example.jp",
        UPLOAD_DIR: "/var/lib/village/uploads",
        STRIPE_SECRET_KEY: "sk_live_example",
        STRIPE_WEBHOOK_SECRET: "whsec_example",
        CHAIN_RPC_URL: "https://rpc.example.jp",
        CHAIN_ID: "137",
        CUSTODY_MASTER_KEYS: base64Keys(both),
        CHAIN_ISSUER_KEY_SEALED: issuer.sealed,
      },
    });
    const lines = stdout.trim().split("\n");
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ rotate: "ok", masterKeyVersion: 2, rewrapped: 3, retirable: [1] });
    const printed = lines.find((line) => line.startsWith("CHAIN_ISSUER_KEY_SEALED="))!.slice("CHAIN_ISSUER_KEY_SEALED=".length);

    // Version 1 retired: the old value no longer opens, the printed one does, and so does every wallet.
    expect(() => openIssuerKey(issuer.sealed, onlyV2)).toThrow(/version 1 is not configured/);
    expect(openIssuerKey(printed, onlyV2).address).toBe(issuer.address);
    for (const [i, user] of holders.entries()) {
      expect((await walletAccount(user.id, onlyV2)).address).toBe(created[i]!.address);
    }
  }, 60_000);
});
