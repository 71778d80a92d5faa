import "server-only";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

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
export type StoredType = keyof typeof EXTENSIONS;

/** Generated names only: `<area>/<uuid>.<ext>`. */
const STORAGE_KEY = /^(identity|images)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|pdf)$/;

export async function storeUpload(root: string, area: "identity" | "images", bytes: Uint8Array, type: StoredType): Promise<string> {
  const key = `${area}/${randomUUID()}.${EXTENSIONS[type]}`;
  await mkdir(path.join(root, area), { recursive: true, mode: 0o700 });
  await writeFile(path.join(root, key), bytes, { mode: 0o600, flag: "wx" });
  return key;
}

/** Reads a stored file by its generated key; anything else (a path from a user) is refused. */
export async function readUpload(root: string, key: string): Promise<Buffer> {
  if (!STORAGE_KEY.test(key)) throw new Error("not a storage key");
  return readFile(path.join(root, key));
}

/** Removes a stored file by its generated key, e.g. when the database write that owned it failed. */
export async function removeUpload(root: string, key: string): Promise<void> {
  if (!STORAGE_KEY.test(key)) throw new Error("not a storage key");
  await rm(path.join(root, key), { force: true });
}
