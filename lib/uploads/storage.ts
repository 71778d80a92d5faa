import "server-only";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { env, type S3StorageSettings } from "@/lib/env";

/** What a file is, judged by its first bytes; the name and the browser's claim are ignored. */
export function sniffContentType(bytes: Uint8Array): "image/jpeg" | "image/png" | "image/webp" | "application/pdf" | null {
  const starts = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return "image/webp";
  return null;
}

const EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf" } as const;
type StoredType = keyof typeof EXTENSIONS;
type UploadArea = "identity" | "images";

/** Generated names only: `<area>/<uuid>.<ext>`. */
const STORAGE_KEY = /^(identity|images)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|pdf)$/;

/**
 * Where uploaded files are kept. `put` makes the key; `get` and `delete` take only a key of that
 * shape, so a path from a user can never reach the file system or the bucket.
 */
export type UploadStorage = {
  put(area: UploadArea, bytes: Uint8Array, type: StoredType): Promise<string>;
  get(key: string): Promise<Buffer>;
  /** Removes a file, e.g. when the database write that owned it failed; a missing file is no error. */
  delete(key: string): Promise<void>;
};

const newKey = (area: UploadArea, type: StoredType) => `${area}/${randomUUID()}.${EXTENSIONS[type]}`;

function checked(key: string): string {
  if (!STORAGE_KEY.test(key)) throw new Error("not a storage key");
  return key;
}

/** Files in a local directory (the embedded default, `.data/uploads`): one machine only. */
export function directoryStorage(root: string): UploadStorage {
  return {
    async put(area, bytes, type) {
      const key = newKey(area, type);
      await mkdir(path.join(root, area), { recursive: true, mode: 0o700 });
      await writeFile(path.join(root, key), bytes, { mode: 0o600, flag: "wx" });
      return key;
    },
    get: async (key) => readFile(path.join(root, checked(key))),
    delete: async (key) => rm(path.join(root, checked(key)), { force: true }),
  };
}

/**
 * S3-compatible object storage (AWS S3, Cloudflare R2, MinIO…), shared by every web instance and
 * worker. The SDK is loaded on first use, so the local default never loads it.
 */
export function objectStorage(settings: S3StorageSettings): UploadStorage {
  let connecting: Promise<{ sdk: typeof import("@aws-sdk/client-s3"); client: S3Client }> | undefined;
  const connect = () =>
    (connecting ??= import("@aws-sdk/client-s3").then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: settings.region,
        ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
        ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
        // Checksums only where S3 requires them: several S3-compatible services reject the newer headers.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    })));
  const location = (key: string) => ({ Bucket: settings.bucket, Key: settings.prefix + checked(key) });
  return {
    async put(area, bytes, type) {
      const key = newKey(area, type);
      const { sdk, client } = await connect();
      await client.send(new sdk.PutObjectCommand({ ...location(key), Body: bytes, ContentType: type }));
      return key;
    },
    async get(key) {
      const target = location(key);
      const { sdk, client } = await connect();
      const object = await client.send(new sdk.GetObjectCommand(target));
      if (!object.Body) throw new Error(`empty object ${key}`);
      return Buffer.from(await object.Body.transformToByteArray());
    },
    async delete(key) {
      const target = location(key);
      const { sdk, client } = await connect();
      await client.send(new sdk.DeleteObjectCommand(target));
    },
  };
}

let shared: { settings: S3StorageSettings; storage: UploadStorage } | undefined;

/**
 * The configured storage: object storage when STORAGE_URL is set, else the local directory
 * (`localRoot` when a caller was handed one, UPLOAD_DIR otherwise).
 */
export function uploadStorage(localRoot?: string): UploadStorage {
  const settings = env().storage;
  if (settings.kind === "local") return directoryStorage(localRoot ?? settings.dir);
  if (shared?.settings !== settings) shared = { settings, storage: objectStorage(settings) };
  return shared.storage;
}
