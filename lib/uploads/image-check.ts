import { cleanJpeg, type CleanImage } from "./jpeg";
import { cleanPng } from "./png";
import { sniffContentType } from "./storage";
import { cleanWebp } from "./webp";

/** Limits for photos and receipts: a phone photo fits, a decompression bomb does not. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 10_000;
export const MAX_IMAGE_PIXELS = 40_000_000;

export type ImageType = "image/jpeg" | "image/png" | "image/webp";
export type ImageError = "missing" | "name" | "tooLarge" | "type" | "corrupt" | "dimensions";
export type CheckedImage = CleanImage & { type: ImageType };
export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; error: ImageError };

const CLEANERS: Record<ImageType, (bytes: Uint8Array) => CleanImage | null> = {
  "image/jpeg": cleanJpeg,
  "image/png": cleanPng,
  "image/webp": cleanWebp,
};

/**
 * The name a browser sends is never used for storage; a name with a path in it can only come
 * from a forged request, so it is refused outright.
 */
export function isPlainFileName(name: string): boolean {
  return name.length <= 255 && !/[/\\\u0000-\u001f\u007f]/.test(name) && !name.includes("..");
}

/** Judges bytes by content, reads the size from the headers, and strips metadata. */
export function checkImageBytes(bytes: Uint8Array): ImageCheck {
  if (bytes.length === 0) return { ok: false, error: "missing" };
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, error: "tooLarge" };
  const type = sniffContentType(bytes);
  if (type !== "image/jpeg" && type !== "image/png" && type !== "image/webp") return { ok: false, error: "type" };
  const clean = CLEANERS[type](bytes);
  if (!clean) return { ok: false, error: "corrupt" };
  if (clean.width > MAX_IMAGE_SIDE || clean.height > MAX_IMAGE_SIDE || clean.width * clean.height > MAX_IMAGE_PIXELS) {
    return { ok: false, error: "dimensions" };
  }
  return { ok: true, image: { ...clean, type } };
}

export async function checkImageFile(file: File): Promise<ImageCheck> {
  if (file.size === 0) return { ok: false, error: "missing" };
  if (!isPlainFileName(file.name)) return { ok: false, error: "name" };
  if (file.size > MAX_IMAGE_BYTES) return { ok: false, error: "tooLarge" };
  return checkImageBytes(new Uint8Array(await file.arrayBuffer()));
}
