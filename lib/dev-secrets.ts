import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Demo mode's generated secrets: files under the data directory (git-ignored), made on first use. */

type DevSecrets = { authSecret: string; pgPassword: string; stripeWebhookSecret: string };

/** Development secrets are generated once under the data directory, which git ignores. */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>) : {};
  if (stored.authSecret && stored.pgPassword && stored.stripeWebhookSecret) return stored as DevSecrets;
  const secrets: DevSecrets = {
    authSecret: stored.authSecret ?? randomBytes(32).toString("base64url"),
    pgPassword: stored.pgPassword ?? randomBytes(18).toString("base64url"),
    stripeWebhookSecret: stored.stripeWebhookSecret ?? `whsec_${randomBytes(24).toString("base64url")}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function devMasterKeysFile(dataDir: string): string {
  return path.join(dataDir, "custody-master-keys.json");
}

/** In demo mode the master keys live in a generated file under the data dir (git-ignored). */
export function ensureDevMasterKeys(dataDir: string): string {
  const file = devMasterKeysFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ "1": randomBytes(32).toString("base64") }, null, 2), { mode: 0o600 });
  }
  return file;
}
