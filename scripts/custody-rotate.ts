import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { closeDb } from "@/db/client";
import { rotateWalletKeys } from "@/lib/custody/wallets";
import { devMasterKeysFile, env } from "@/lib/env";

/**
 * Re-wraps every wallet's data key under the newest master key version, in small transactions
 * while the portal runs. Demo mode first adds a new version to the generated key file; live mode
 * expects the operator to have added it to CUSTODY_MASTER_KEYS already. Old versions stay usable
 * until every row is re-wrapped, so nothing is unreadable at any moment.
 */
const settings = env();
let keys = settings.custodyMasterKeys;
if (settings.isDemo && !process.argv.includes("--no-new-version")) {
  const file = devMasterKeysFile(settings.dataDir);
  const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const next = Math.max(...Object.keys(stored).map(Number)) + 1;
  stored[String(next)] = randomBytes(32).toString("base64");
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  keys = new Map(Object.entries(stored).map(([version, key]) => [Number(version), Buffer.from(key, "base64")]));
}
const { rewrapped } = await rotateWalletKeys(keys);
console.log(JSON.stringify({ rotate: "ok", masterKeyVersion: Math.max(...keys.keys()), rewrapped }));
await closeDb();
