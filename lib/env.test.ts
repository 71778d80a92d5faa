import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generatePrivateKey } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { WELL_KNOWN_DEV_ACCOUNTS } from "@/lib/chain/dev-accounts";
import { sealIssuerKey } from "@/lib/chain/issuer-key";
import { EnvError, LIVE_REQUIRED, parseEnv, parseMasterKeys } from "./env";

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), "env-test-"));

describe("parseEnv", () => {
  it("refuses to start in production with nothing set, naming every missing setting", () => {
    let error: unknown;
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    for (const name of Object.keys(LIVE_REQUIRED)) {
      expect((error as EnvError).message).toContain(`${name} is missing`);
    }
    expect((error as EnvError).problems).toHaveLength(Object.keys(LIVE_REQUIRED).length);
  });

  it("names only what is still missing in live mode", () => {
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: "postgres://u:p@db.example:5432/village",
        AUTH_SECRET: "x".repeat(40),
        AUTH_URL: "https://portal.example.jp",
        EMAIL_FROM: "no-reply@example.jp",
      }),
    ).toThrow(/EMAIL_SERVER is missing[\s\S]*CUSTODY_MASTER_KEYS is missing[\s\S]*UPLOAD_DIR is missing[\s\S]*STRIPE_SECRET_KEY is missing[\s\S]*CHAIN_ISSUER_KEY_SEALED is missing/);
  });

  const liveMasterKeys = JSON.stringify({ "1": Buffer.alloc(32, 1).toString("base64"), "2": Buffer.alloc(32, 2).toString("base64") });
  const issuerKeySealed = sealIssuerKey(generatePrivateKey(), parseMasterKeys(liveMasterKeys)).sealed;
  const live = {
    NODE_ENV: "production",
    DATABASE_URL: "postgres://u:p@db.example:5432/village",
    AUTH_SECRET: "x".repeat(40),
    AUTH_URL: "https://portal.example.jp",
    EMAIL_SERVER: "smtp://u:p@smtp.example.jp:587",
    EMAIL_FROM: "no-reply@example.jp",
    CUSTODY_MASTER_KEYS: liveMasterKeys,
    UPLOAD_DIR: "/var/lib/village/uploads",
    STRIPE_SECRET_KEY: "sk_live_example",
    STRIPE_WEBHOOK_SECRET: "whsec_example",
    CHAIN_RPC_URL: "https://rpc.example.jp",
    CHAIN_ID: "137",
    CHAIN_ISSUER_KEY_SEALED: issuerKeySealed,
  };

  it("accepts a complete live configuration and does not fall back to demo parts", () => {
    const dir = tempDir();
    const settings = parseEnv({ ...live, DATA_DIR: dir });
    expect(settings.mode).toBe("live");
    expect(settings.isDemo).toBe(false);
    expect(settings.databaseIsEmbedded).toBe(false);
    expect([...settings.custodyMasterKeys.keys()]).toEqual([1, 2]);
    expect(settings.uploadDir).toBe("/var/lib/village/uploads");
    expect(settings.kycAutoApprove).toBe(false);
    expect(settings.stripe).toEqual({ secretKey: "sk_live_example", webhookSecret: "whsec_example", emulatorPort: null });
    expect(settings.chain).toMatchObject({ rpcUrl: "https://rpc.example.jp", chainId: 137, issuerKeySealed });
    // Live mode generated nothing under the data dir: no demo secrets, no demo master key.
    expect(existsSync(path.join(dir, "dev-secrets.json"))).toBe(false);
    expect(existsSync(path.join(dir, "custody-master-keys.json"))).toBe(false);
  });

  it("refuses demo-only settings and malformed master keys in live mode", () => {
    expect(() => parseEnv({ ...live, KYC_AUTO_APPROVE: "true" })).toThrow(/KYC_AUTO_APPROVE/);
    expect(() => parseEnv({ ...live, CUSTODY_MASTER_KEYS: "not json" })).toThrow(/CUSTODY_MASTER_KEYS/);
    expect(() => parseEnv({ ...live, CUSTODY_MASTER_KEYS: JSON.stringify({ "1": "c2hvcnQ=" }) })).toThrow(/32-byte/);
  });

  it("generates a demo master key once and keeps it", () => {
    const dir = tempDir();
    const first = parseEnv({ NODE_ENV: "development", DATA_DIR: dir, KYC_AUTO_APPROVE: "true" });
    const second = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(first.kycAutoApprove).toBe(true);
    expect(first.custodyMasterKeys.get(1)?.length).toBe(32);
    expect(second.custodyMasterKeys.get(1)?.equals(first.custodyMasterKeys.get(1)!)).toBe(true);
  });

  it("rejects malformed values with the setting's name", () => {
    expect(() => parseEnv({ NODE_ENV: "development", DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ NODE_ENV: "development", AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET/);
  });

  it("generates development secrets once under the data dir and reuses them", () => {
    const dir = tempDir();
    const first = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    const second = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(first.mode).toBe("demo");
    expect(first.databaseIsEmbedded).toBe(true);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.databaseUrl).toBe(first.databaseUrl);
    const stored = JSON.parse(readFileSync(path.join(dir, "dev-secrets.json"), "utf8"));
    expect(first.databaseUrl).toContain(encodeURIComponent(stored.pgPassword));
  });

  it("runs production in demo mode only when asked for by name", () => {
    const settings = parseEnv({ NODE_ENV: "production", PORTAL_MODE: "demo", DATA_DIR: tempDir() });
    expect(settings.mode).toBe("demo");
  });

  it("refuses a test-mode Stripe key in live mode unless the site says it is a staging site", () => {
    expect(() => parseEnv({ ...live, STRIPE_SECRET_KEY: "sk_test_abc" })).toThrow(/STRIPE_SECRET_KEY is a test-mode key[\s\S]*PORTAL_STAGING=true/);
    expect(() => parseEnv({ ...live, STRIPE_SECRET_KEY: "rk_test_abc" })).toThrow(/test-mode key/);
    const staging = parseEnv({ ...live, STRIPE_SECRET_KEY: "sk_test_abc", PORTAL_STAGING: "true" });
    expect(staging).toMatchObject({ mode: "live", staging: true, stripe: { secretKey: "sk_test_abc", emulatorPort: null } });
    expect(parseEnv(live).staging).toBe(false);
    expect(() => parseEnv({ ...live, PORTAL_STAGING: "true" })).toThrow(/PORTAL_STAGING=true with a live Stripe key/);
  });

  it("refuses the public Hardhat dev key as the issuer in live mode, sealed or not", () => {
    const keys = parseMasterKeys(liveMasterKeys);
    const [devAddress, devKey] = WELL_KNOWN_DEV_ACCOUNTS[0]!;
    const sealedDevKey = sealIssuerKey(devKey, keys, { allowDevKey: true }).sealed;
    expect(() => parseEnv({ ...live, CHAIN_ISSUER_KEY_SEALED: sealedDevKey })).toThrow(new RegExp(`seals the public Hardhat dev account 0 \\(${devAddress}\\)`));
    expect(() => parseEnv({ ...live, CHAIN_ISSUER_KEY_SEALED: devKey })).toThrow(/raw private key, and it is the public Hardhat dev account 0/);
    expect(() => parseEnv({ ...live, CHAIN_ISSUER_KEY_SEALED: WELL_KNOWN_DEV_ACCOUNTS[3]![1].slice(2) })).toThrow(/dev account 3/);
    expect(() => parseEnv({ ...live, CHAIN_ISSUER_KEY_SEALED: generatePrivateKey() })).toThrow(/raw private key: seal/);
    expect(() => parseEnv({ ...live, CHAIN_ISSUER_KEY_SEALED: "sealed" })).toThrow(/not a sealed key/);
  });

  it("refuses a sealed issuer key whose master key version was retired", () => {
    const onlyV2 = JSON.stringify({ "2": Buffer.alloc(32, 2).toString("base64") });
    const underV1 = sealIssuerKey(generatePrivateKey(), parseMasterKeys(JSON.stringify({ "1": Buffer.alloc(32, 1).toString("base64") }))).sealed;
    expect(() => parseEnv({ ...live, CUSTODY_MASTER_KEYS: onlyV2, CHAIN_ISSUER_KEY_SEALED: underV1 })).toThrow(/master key version 1, which CUSTODY_MASTER_KEYS lacks/);
  });

  it("serves the dev stack on PORT (3000 by default), and AUTH_URL's default follows it", () => {
    const dir = tempDir();
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir })).toMatchObject({ port: 3000, authUrl: "http://localhost:3000" });
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir, PORT: "3005" })).toMatchObject({ port: 3005, authUrl: "http://localhost:3005" });
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir, PORT: "3005", AUTH_URL: "http://localhost:4000" }).authUrl).toBe("http://localhost:4000");
    expect(() => parseEnv({ NODE_ENV: "development", DATA_DIR: dir, PORT: "http" })).toThrow(/PORT/);
  });
});
