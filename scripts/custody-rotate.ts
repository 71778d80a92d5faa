import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { closeDb } from "@/db/client";
import { rotateCustody } from "@/lib/custody/rotate";
import { devMasterKeysFile } from "@/lib/dev-secrets";
import { env } from "@/lib/env";

/**
 * Re-wraps every wallet's data key under the newest master key version, in small transactions
 * while the portal runs, and re-seals the issuer key. Demo mode first adds a new version to the
 * generated key file; live mode expects the operator to have added it to CUSTODY_MASTER_KEYS
 * already. Old versions stay usable until every row is re-wrapped, so nothing is unreadable at
 * any moment. CHAIN_ISSUER_KEY_SEALED is a setting: the re-sealed value is printed for the
 * operator to set before an old version is retired.
 */
const settings = env();
let keys = settings.custodyMasterKeys;
// Only when the keys come from the generated file (CUSTODY_MASTER_KEYS unset).
if (settings.isDemo && !process.env.CUSTODY_MASTER_KEYS && !process.argv.includes("--no-new-version")) {
  const file = devMasterKeysFile(settings.dataDir);
  const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const next = Math.max(...Object.keys(stored).map(Number)) + 1;
  stored[String(next)] = randomBytes(32).toString("base64");
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  keys = new Map(Object.entries(stored).map(([version, key]) => [Number(version), Buffer.from(key, "base64")]));
}
const rotation = await rotateCustody(keys, settings.chain.issuerKeySealed);
if (rotation.issuerKeySealed && rotation.issuerKeySealed !== settings.chain.issuerKeySealed) {
  console.error(`set CHAIN_ISSUER_KEY_SEALED to the value below (the issuer key under master key version ${rotation.masterKeyVersion}), then restart the portal and the worker:`);
  console.log(`CHAIN_ISSUER_KEY_SEALED=${rotation.issuerKeySealed}`);
} else if (!settings.chain.issuerKeySealed) {
  console.error("no CHAIN_ISSUER_KEY_SEALED is set (demo mode signs with the public dev account): nothing to re-seal");
}
if (rotation.retirable.length > 0) {
  console.error(
    `master key versions ${rotation.retirable.join(", ")} seal nothing any more${rotation.issuerKeySealed ? " once that value is set" : ""}: they can be removed from ${process.env.CUSTODY_MASTER_KEYS ? "CUSTODY_MASTER_KEYS" : devMasterKeysFile(settings.dataDir)}`,
  );
}
console.log(JSON.stringify({ rotate: "ok", ...rotation }));
await closeDb();
