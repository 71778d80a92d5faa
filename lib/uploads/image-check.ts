import "server-only";
import sharp, { type Sharp } from "sharp";
import { sniffContentType } from "./storage";

/** Limits for photos and receipts: a phone photo fits, a decompression bomb does not. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 10_000;
/**
 * Decoding takes width × height × 4 bytes of memory. 40 MP (160 MB) covers any phone photo that
 * fits in 5 MB, while a small file whose header claims far more (a decompression bomb) is refused
 * by the decoder from its header, before a pixel is decoded.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

export type ImageType = "image/jpeg" | "image/png" | "image/webp";
export type ImageError = "missing" | "name" | "tooLarge" | "type" | "corrupt" | "dimensions";
export type CheckedImage = { bytes: Uint8Array; width: number; height: number; type: ImageType };
export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; error: ImageError };

const FORMATS = { "image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp" } as const;
// Stored as the type uploaded; PNG stays lossless (a quality setting would reduce it to a palette).
const ENCODERS: Record<ImageType, (image: Sharp) => Sharp> = {
  "image/jpeg": (image) => image.jpeg({ quality: 90 }),
  "image/png": (image) => image.png(),
  "image/webp": (image) => image.webp({ quality: 90 }),
};

/**
 * The name a browser sends is never used for storage; a name with a path in it can only come
 * from a forged request, so it is refused outright.
 */
function isPlainFileName(name: string): boolean {
  return name.length <= 255 && !/[/\\\u0000-\u001f\u007f]/.test(name) && !name.includes("..");
}

// "error" refuses broken and truncated data but not the harmless warnings some cameras cause.
const decoder = (bytes: Uint8Array) => sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" });

const decodeError = (error: unknown): "corrupt" | "dimensions" => (error instanceof Error && error.message.includes("pixel limit") ? "dimensions" : "corrupt");

/** Reads the header: it must be the format the first bytes claim, within the size limits. */
async function inspect(bytes: Uint8Array, type: ImageType): Promise<"corrupt" | "dimensions" | null> {
  try {
    const { format, width, height } = await decoder(bytes).metadata();
    if (format !== FORMATS[type] || !width || !height) return "corrupt";
    return width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE ? "dimensions" : null;
  } catch (error) {
    return decodeError(error);
  }
}

/**
 * Judges bytes by content and decodes them; the stored image is re-encoded from the pixels,
 * turned upright by its EXIF orientation, so no metadata (EXIF, GPS, XMP, comments) and nothing
 * appended to the file survives. An animated WebP keeps its first frame.
 */
export async function checkImageBytes(bytes: Uint8Array): Promise<ImageCheck> {
  if (bytes.length === 0) return { ok: false, error: "missing" };
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, error: "tooLarge" };
  const type = sniffContentType(bytes);
  if (type !== "image/jpeg" && type !== "image/png" && type !== "image/webp") return { ok: false, error: "type" };
  const refused = await inspect(bytes, type);
  if (refused) return { ok: false, error: refused };
  try {
    const { data, info } = await ENCODERS[type](decoder(bytes).autoOrient()).toBuffer({ resolveWithObject: true });
    return { ok: true, image: { bytes: data, width: info.width, height: info.height, type } };
  } catch (error) {
    return { ok: false, error: decodeError(error) };
  }
}

export async function checkImageFile(file: File): Promise<ImageCheck> {
  if (file.size === 0) return { ok: false, error: "missing" };
  if (!isPlainFileName(file.name)) return { ok: false, error: "name" };
  if (file.size > MAX_IMAGE_BYTES) return { ok: false, error: "tooLarge" };
  return checkImageBytes(new Uint8Array(await file.arrayBuffer()));
}

/**
 * For files kept as uploaded (identity documents): null when the bytes decode in full as the
 * image type their first bytes claim, within the same limits, else why not.
 */
export async function decodeProblem(bytes: Uint8Array, type: ImageType): Promise<"corrupt" | "dimensions" | null> {
  const refused = await inspect(bytes, type);
  if (refused) return refused;
  try {
    await decoder(bytes).raw().toBuffer();
    return null;
  } catch (error) {
    return decodeError(error);
  }
}
