import { describe, expect, it } from "vitest";
import { checkImageBytes, checkImageFile, MAX_IMAGE_BYTES } from "./image-check";
import { exifOrientation } from "./jpeg";
import { readUpload } from "./storage";
import { CAMERA_MAKE, GPS_LATITUDE_BYTES, JPEG_2x2, jpegWithGps, PNG_1x1, pngClaiming, pngWithMetadata, WEBP_3x2, webpWithMetadata } from "./test-images";

const has = (bytes: Uint8Array, needle: string | Buffer) => Buffer.from(bytes).includes(typeof needle === "string" ? Buffer.from(needle, "latin1") : needle);

function cleaned(bytes: Buffer) {
  const result = checkImageBytes(bytes);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.image;
}

describe("image checks", () => {
  it("refuses a file that claims to be an image but is not", async () => {
    const file = new File([Buffer.from("<?php system($_GET['c']); ?>")], "photo.jpg", { type: "image/jpeg" });
    expect(await checkImageFile(file)).toEqual({ ok: false, error: "type" });
    const pdf = new File([Buffer.from("%PDF-1.7\n...")], "photo.png", { type: "image/png" });
    expect(await checkImageFile(pdf)).toEqual({ ok: false, error: "type" });
  });

  it("refuses a file with an image signature but a broken structure", () => {
    expect(checkImageBytes(Buffer.concat([JPEG_2x2.subarray(0, 200)]))).toEqual({ ok: false, error: "corrupt" });
    expect(checkImageBytes(Buffer.concat([PNG_1x1.subarray(0, 8), Buffer.from("not chunks at all")]))).toEqual({ ok: false, error: "corrupt" });
    expect(checkImageBytes(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd", "latin1"))).toEqual({ ok: false, error: "corrupt" });
  });

  it("refuses an oversized file before reading it", async () => {
    const big = new File([JPEG_2x2, Buffer.alloc(MAX_IMAGE_BYTES)], "big.jpg");
    expect(await checkImageFile(big)).toEqual({ ok: false, error: "tooLarge" });
    expect(await checkImageFile(new File([], "empty.png"))).toEqual({ ok: false, error: "missing" });
  });

  it("refuses an image with too many pixels or too long a side, judged from its header", () => {
    expect(checkImageBytes(pngClaiming(8000, 6000))).toEqual({ ok: false, error: "dimensions" });
    expect(checkImageBytes(pngClaiming(20_000, 10))).toEqual({ ok: false, error: "dimensions" });
    expect(checkImageBytes(pngClaiming(4032, 3024))).toMatchObject({ ok: true, image: { width: 4032, height: 3024 } });
  });

  it("refuses a path-traversal name, and reads files only by generated key", async () => {
    for (const name of ["../../etc/passwd.png", "..\\..\\boot.ini.png", "images/../../x.png", "a\u0000.png"]) {
      expect(await checkImageFile(new File([PNG_1x1], name))).toEqual({ ok: false, error: "name" });
    }
    expect((await checkImageFile(new File([PNG_1x1], "森の写真 1.png"))).ok).toBe(true);
    for (const key of ["../secret", "images/../../etc/passwd", "/etc/passwd", "images/x.png", "images/00000000-0000-0000-0000-000000000000.png/../x"]) {
      await expect(readUpload("/tmp", key)).rejects.toThrow("not a storage key");
    }
  });

  it("removes EXIF GPS, XMP, comments and appended bytes from a JPEG, keeping only its orientation", () => {
    const original = jpegWithGps(6);
    expect(has(original, GPS_LATITUDE_BYTES)).toBe(true);
    const image = cleaned(original);
    expect(image).toMatchObject({ type: "image/jpeg", width: 2, height: 2 });
    for (const needle of [GPS_LATITUDE_BYTES, CAMERA_MAKE, "xmpmeta", "GPSLatitude", "north slope", "<script>"]) {
      expect(has(image.bytes, needle)).toBe(false);
    }
    expect([...image.bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...image.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    const app1 = Buffer.from(image.bytes).subarray(6, 6 + 32);
    expect(exifOrientation(app1)).toBe(6);
    // The scan data itself is untouched.
    expect(has(image.bytes, JPEG_2x2.subarray(JPEG_2x2.indexOf(Buffer.from([0xff, 0xda]))))).toBe(true);
  });

  it("leaves a JPEG without metadata as it was", () => {
    expect(Buffer.from(cleaned(JPEG_2x2).bytes).equals(JPEG_2x2)).toBe(true);
  });

  it("removes text, EXIF and time chunks from a PNG", () => {
    const image = cleaned(pngWithMetadata());
    expect(image).toMatchObject({ type: "image/png", width: 1, height: 1 });
    expect(Buffer.from(image.bytes).equals(PNG_1x1)).toBe(true);
  });

  it("removes EXIF and XMP chunks from a WebP and clears their flags", () => {
    expect(cleaned(WEBP_3x2)).toMatchObject({ type: "image/webp", width: 3, height: 2 });
    const image = cleaned(webpWithMetadata());
    expect(image).toMatchObject({ width: 3, height: 2 });
    const bytes = Buffer.from(image.bytes);
    expect(has(bytes, "EXIF") || has(bytes, "XMP ") || has(bytes, GPS_LATITUDE_BYTES)).toBe(false);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes[20]! & 0x0c).toBe(0);
  });
});
