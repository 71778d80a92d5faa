import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { eq } from "drizzle-orm";
import S3rver from "s3rver";
import { generatePrivateKey } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { images } from "@/db/schema";
import { sealIssuerKey } from "@/lib/chain/issuer-key";
import { env, parseEnv, parseMasterKeys, type S3StorageSettings } from "@/lib/env";
import { JPEG_2x2, PNG_1x1 } from "@/test/images";
import { checkImageBytes } from "./image-check";
import { withStoredFiles } from "./images";
import { directoryStorage, objectStorage, type UploadStorage, uploadStorage } from "./storage";

const BUCKET = "village-uploads";
let server: S3rver;
let settings: S3StorageSettings;

beforeAll(async () => {
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: mkdtempSync(path.join(os.tmpdir(), "s3rver-")), configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  settings = { kind: "s3", bucket: BUCKET, prefix: "portal/", region: "us-east-1", endpoint, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } };
  // Before anything reads the settings: this file's portal keeps its uploads in the bucket.
  Object.assign(process.env, { STORAGE_URL: `s3://${BUCKET}/portal`, STORAGE_ENDPOINT: endpoint, STORAGE_REGION: "us-east-1", STORAGE_ACCESS_KEY_ID: "S3RVER", STORAGE_SECRET_ACCESS_KEY: "S3RVER" });
});

afterAll(async () => {
  await server.close();
});

/** The bucket as any S3 client sees it, to check where an object landed. */
const inBucket = async (objectKey: string) => {
  const client = new S3Client({ region: "us-east-1", endpoint: settings.endpoint!, forcePathStyle: true, credentials: { ...settings.credentials! } });
  return client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: objectKey })).then(
    (head) => head,
    () => null,
  );
};

const KEY_SHAPE = /^images\/[0-9a-f-]{36}\.png$/;
const NOT_KEYS = ["../secret", "images/../../etc/passwd", "/etc/passwd", "images/x.png", "IMAGES/00000000-0000-0000-0000-000000000000.png", "portal/images/00000000-0000-0000-0000-000000000000.png"];

async function refusesForeignKeys(storage: UploadStorage, kept: string) {
  for (const key of [...NOT_KEYS, `images/../${kept}`, `${kept}/../${kept}`, `./${kept}`]) {
    await expect(storage.get(key)).rejects.toThrow("not a storage key");
    await expect(storage.delete(key)).rejects.toThrow("not a storage key");
  }
  // Nothing that was refused touched the stored file.
  expect(await storage.get(kept)).toEqual(Buffer.from(PNG_1x1));
}

describe("S3-compatible object storage", () => {
  it("puts, gets and deletes an upload by its generated key, under the prefix", async () => {
    const storage = objectStorage(settings);
    const key = await storage.put("images", PNG_1x1, "image/png");
    expect(key).toMatch(KEY_SHAPE);
    expect(await inBucket(`portal/${key}`)).toMatchObject({ ContentType: "image/png", ContentLength: PNG_1x1.length });
    expect(await storage.get(key)).toEqual(Buffer.from(PNG_1x1));
    await storage.delete(key);
    expect(await inBucket(`portal/${key}`)).toBeNull();
    await expect(storage.get(key)).rejects.toThrow();
    // Deleting what is gone is no error: cleanup after a failed transaction may run twice.
    await storage.delete(key);
  });

  it("refuses keys outside the generated shape, for reading and for deleting", async () => {
    const storage = objectStorage(settings);
    await refusesForeignKeys(storage, await storage.put("images", PNG_1x1, "image/png"));
  });

  it("signs with the configured credentials (an unknown key id is refused by the server)", async () => {
    // s3rver checks the key id of a SigV4 request, not the signature itself.
    const storage = objectStorage({ ...settings, credentials: { accessKeyId: "UNKNOWN", secretAccessKey: "S3RVER" } });
    await expect(storage.put("identity", PNG_1x1, "image/png")).rejects.toThrow(/Access Key Id/);
  });

  it("is what the portal uses when STORAGE_URL is set: images saved in a unit of work land in the bucket, and are removed when it fails", async () => {
    expect(env().storage).toEqual(settings);
    const cover = await checkImageBytes(JPEG_2x2);
    if (!cover.ok) throw new Error(cover.error);
    const row = await withStoredFiles(env().uploadDir, (files) => getDb().transaction((tx) => files.save(tx, cover.image, "cover", null)));
    expect(await inBucket(`portal/${row.storageKey}`)).not.toBeNull();
    expect(await uploadStorage().get(row.storageKey)).toEqual(Buffer.from(cover.image.bytes));

    let written = "";
    await expect(
      withStoredFiles(env().uploadDir, async (files) => {
        written = (await getDb().transaction((tx) => files.save(tx, cover.image, "cover", null))).storageKey;
        throw new Error("the rest of the work failed");
      }),
    ).rejects.toThrow("the rest of the work failed");
    expect(written).toMatch(/^images\//);
    expect(await inBucket(`portal/${written}`)).toBeNull();
    await getDb().delete(images).where(eq(images.storageKey, written));
  });
});

describe("local directory storage", () => {
  it("puts, gets and deletes a file readable only by the portal, and refuses foreign keys", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "uploads-"));
    const storage = directoryStorage(root);
    const key = await storage.put("images", PNG_1x1, "image/png");
    expect(key).toMatch(KEY_SHAPE);
    expect(statSync(path.join(root, key)).mode & 0o777).toBe(0o600);
    await refusesForeignKeys(storage, key);
    await storage.delete(key);
    await expect(storage.get(key)).rejects.toThrow(/ENOENT/);
  });
});

describe("storage settings", () => {
  const masterKeys = JSON.stringify({ "1": Buffer.alloc(32, 1).toString("base64") });
  const live = {
    NODE_ENV: "production",
    DATABASE_URL: "postgres://u:p@db.example:5432/village",
    AUTH_SECRET: "x".repeat(40),
    AUTH_URL: "https://portal.example.jp",
    EMAIL_SERVER: "smtp://u:p@smtp.example.jp:587",
    EMAIL_FROM: "no-reply@example.jp",
    CUSTODY_MASTER_KEYS: masterKeys,
    STRIPE_SECRET_KEY: "sk_live_example",
    STRIPE_WEBHOOK_SECRET: "whsec_example",
    CHAIN_RPC_URL: "https://rpc.example.jp",
    CHAIN_ID: "137",
    CHAIN_ISSUER_KEY_SEALED: sealIssuerKey(generatePrivateKey(), parseMasterKeys(masterKeys)).sealed,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "env-storage-")),
  };
  const bucket = { STORAGE_URL: "s3://village-uploads/portal/prod", STORAGE_REGION: "ap-northeast-1" };

  it("in live mode, needs either UPLOAD_DIR or a complete object storage", () => {
    expect(() => parseEnv(live)).toThrow(/UPLOAD_DIR is missing/);
    expect(parseEnv({ ...live, UPLOAD_DIR: "/var/lib/village/uploads" }).storage).toEqual({ kind: "local", dir: "/var/lib/village/uploads" });
    expect(parseEnv({ ...live, ...bucket }).storage).toEqual({ kind: "s3", bucket: "village-uploads", prefix: "portal/prod/", region: "ap-northeast-1", endpoint: null, credentials: null });
  });

  it("refuses half a configuration at start", () => {
    expect(() => parseEnv({ ...live, STORAGE_URL: bucket.STORAGE_URL })).toThrow(/STORAGE_REGION is missing/);
    expect(() => parseEnv({ ...live, ...bucket, STORAGE_ACCESS_KEY_ID: "AKIA" })).toThrow(/STORAGE_SECRET_ACCESS_KEY is missing/);
    expect(() => parseEnv({ ...live, ...bucket, AWS_SECRET_ACCESS_KEY: "secret" })).toThrow(/AWS_ACCESS_KEY_ID is missing/);
    expect(() => parseEnv({ ...live, UPLOAD_DIR: "/srv/uploads", STORAGE_ENDPOINT: "https://s3.example.jp" })).toThrow(/STORAGE_ENDPOINT set without STORAGE_URL/);
    expect(() => parseEnv({ ...live, ...bucket, STORAGE_URL: "https://bucket.s3.amazonaws.com" })).toThrow(/s3:\/\/bucket/);
    expect(() => parseEnv({ PORTAL_MODE: "demo", DATA_DIR: live.DATA_DIR, STORAGE_REGION: "auto" })).toThrow(/STORAGE_REGION set without STORAGE_URL/);
  });

  it("takes credentials from its own settings first, then the standard AWS variables, else the SDK's default chain", () => {
    const own = parseEnv({ ...live, ...bucket, STORAGE_ACCESS_KEY_ID: "own", STORAGE_SECRET_ACCESS_KEY: "own-secret", AWS_ACCESS_KEY_ID: "aws", AWS_SECRET_ACCESS_KEY: "aws-secret" });
    expect(own.storage).toMatchObject({ credentials: { accessKeyId: "own", secretAccessKey: "own-secret" } });
    const standard = parseEnv({ ...live, ...bucket, AWS_ACCESS_KEY_ID: "aws", AWS_SECRET_ACCESS_KEY: "aws-secret", AWS_SESSION_TOKEN: "token" });
    expect(standard.storage).toMatchObject({ credentials: { accessKeyId: "aws", secretAccessKey: "aws-secret", sessionToken: "token" } });
    // Without STORAGE_URL the AWS variables are someone else's business.
    expect(parseEnv({ ...live, UPLOAD_DIR: "/srv/uploads", AWS_ACCESS_KEY_ID: "aws" }).storage.kind).toBe("local");
  });

  it("in demo mode keeps uploads under the data directory unless told otherwise", () => {
    const demo = parseEnv({ PORTAL_MODE: "demo", DATA_DIR: live.DATA_DIR });
    expect(demo.storage).toEqual({ kind: "local", dir: path.join(live.DATA_DIR, "uploads") });
    const withBucket = parseEnv({ PORTAL_MODE: "demo", DATA_DIR: live.DATA_DIR, STORAGE_URL: "s3://dev-bucket", STORAGE_ENDPOINT: "http://127.0.0.1:4568" });
    expect(withBucket.storage).toEqual({ kind: "s3", bucket: "dev-bucket", prefix: "", region: "us-east-1", endpoint: "http://127.0.0.1:4568", credentials: null });
  });
});
