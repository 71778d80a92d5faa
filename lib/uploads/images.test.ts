import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { checkImageBytes, checkImageFile, decodeProblem, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from "./image-check";
import { directoryStorage } from "./storage";
import { CAMERA_MAKE, GPS_LATITUDE_BYTES, JPEG_2x2, jpegWithGps, PNG_1x1, pngBomb, pngClaiming, pngWithMetadata, WEBP_3x2, webpWithMetadata } from "@/test/images";

const has = (bytes: Uint8Array, needle: string | Buffer) => Buffer.from(bytes).includes(typeof needle === "string" ? Buffer.from(needle, "latin1") : needle);

async function cleaned(bytes: Buffer) {
  const result = await checkImageBytes(bytes);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.image;
}

/** The metadata kinds sharp finds in a file (those that can carry a place, a person or a camera). */
async function metadataIn(bytes: Uint8Array) {
  const { exif, xmp, iptc, comments, orientation } = await sharp(bytes).metadata();
  return Object.entries({ exif, xmp, iptc, comments, orientation }).flatMap(([kind, value]) => (value === undefined ? [] : [kind]));
}

const pixels = async (bytes: Uint8Array) => (await sharp(bytes).raw().toBuffer({ resolveWithObject: true })).data;

/** A 16×8 JPEG, red on the left half and blue on the right, so a rotation shows in its pixels. */
const halves = () =>
  sharp({ create: { width: 16, height: 8, channels: 3, background: "#ff0000" } })
    .composite([{ input: { create: { width: 8, height: 8, channels: 3, background: "#0000ff" } }, left: 8, top: 0 }])
    .jpeg({ quality: 100 })
    .toBuffer();

describe("image checks", () => {
  it("refuses a file that claims to be an image but is not", async () => {
    const file = new File([Buffer.from("<?php system($_GET['c']); ?>")], "photo.jpg", { type: "image/jpeg" });
    expect(await checkImageFile(file)).toEqual({ ok: false, error: "type" });
    const pdf = new File([Buffer.from("%PDF-1.7\n...")], "photo.png", { type: "image/png" });
    expect(await checkImageFile(pdf)).toEqual({ ok: false, error: "type" });
  });

  it("refuses a file with an image signature but a broken structure", async () => {
    expect(await checkImageBytes(Buffer.concat([JPEG_2x2.subarray(0, 200)]))).toEqual({ ok: false, error: "corrupt" });
    expect(await checkImageBytes(Buffer.concat([PNG_1x1.subarray(0, 8), Buffer.from("not chunks at all")]))).toEqual({ ok: false, error: "corrupt" });
    expect(await checkImageBytes(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd", "latin1"))).toEqual({ ok: false, error: "corrupt" });
  });

  it("refuses an image whose header is sound but whose pixels do not decode", async () => {
    const photo = await sharp({ create: { width: 600, height: 400, channels: 3, background: "#777", noise: { type: "gaussian", mean: 128, sigma: 30 } } })
      .jpeg()
      .toBuffer();
    const truncated = photo.subarray(0, photo.length / 2);
    expect((await sharp(truncated).metadata()).width).toBe(600);
    expect(await checkImageBytes(truncated)).toEqual({ ok: false, error: "corrupt" });
    // A header claiming 4032×3024 over the pixel data of a 1×1 image.
    expect(await checkImageBytes(pngClaiming(4032, 3024))).toEqual({ ok: false, error: "corrupt" });
  });

  it("refuses an oversized file before reading it", async () => {
    const big = new File([JPEG_2x2, Buffer.alloc(MAX_IMAGE_BYTES)], "big.jpg");
    expect(await checkImageFile(big)).toEqual({ ok: false, error: "tooLarge" });
    expect(await checkImageFile(new File([], "empty.png"))).toEqual({ ok: false, error: "missing" });
  });

  it("refuses an image with too many pixels or too long a side, judged from its header", async () => {
    expect(await checkImageBytes(pngClaiming(8000, 6000))).toEqual({ ok: false, error: "dimensions" });
    expect(await checkImageBytes(pngClaiming(20_000, 10))).toEqual({ ok: false, error: "dimensions" });
    const photo = await sharp({ create: { width: 4032, height: 3024, channels: 3, background: "#2a6" } })
      .png()
      .toBuffer();
    expect(await checkImageBytes(photo)).toMatchObject({ ok: true, image: { width: 4032, height: 3024 } });
  });

  it("refuses a decompression bomb (a tiny file of huge dimensions) by the pixel limit", async () => {
    const bomb = pngBomb(9000, 9000);
    expect(bomb.length).toBeLessThan(20_000);
    expect(9000).toBeLessThan(MAX_IMAGE_SIDE);
    expect(9000 * 9000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    expect(await checkImageBytes(bomb)).toEqual({ ok: false, error: "dimensions" });
    expect(await decodeProblem(bomb, "image/png")).toBe("dimensions");
    // The same kind of file within the limit decodes.
    expect(await checkImageBytes(pngBomb(1000, 1000))).toMatchObject({ ok: true, image: { width: 1000, height: 1000 } });
  });

  it("refuses a path-traversal name, and reads files only by generated key", async () => {
    for (const name of ["../../etc/passwd.png", "..\\..\\boot.ini.png", "images/../../x.png", "a\u0000.png"]) {
      expect(await checkImageFile(new File([PNG_1x1], name))).toEqual({ ok: false, error: "name" });
    }
    expect((await checkImageFile(new File([PNG_1x1], "森の写真 1.png"))).ok).toBe(true);
    for (const key of ["../secret", "images/../../etc/passwd", "/etc/passwd", "images/x.png", "images/00000000-0000-0000-0000-000000000000.png/../x"]) {
      await expect(directoryStorage("/tmp").get(key)).rejects.toThrow("not a storage key");
    }
  });

  it("removes EXIF GPS, XMP, comments and appended bytes from a JPEG", async () => {
    const original = jpegWithGps(1);
    expect(has(original, GPS_LATITUDE_BYTES)).toBe(true);
    expect(await metadataIn(original)).toEqual(["exif", "xmp", "orientation"]);
    const image = await cleaned(original);
    expect(image).toMatchObject({ type: "image/jpeg", width: 2, height: 2 });
    for (const needle of [GPS_LATITUDE_BYTES, CAMERA_MAKE, "Exif", "xmpmeta", "GPSLatitude", "north slope", "<script>"]) {
      expect(has(image.bytes, needle)).toBe(false);
    }
    expect([...image.bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...image.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(await metadataIn(image.bytes)).toEqual([]);
  });

  it("turns a photo with EXIF orientation 6 upright and drops the EXIF", async () => {
    const image = await cleaned(jpegWithGps(6, await halves()));
    // Orientation 6: the camera was turned a quarter clockwise, so 16×8 as stored is 8×16 upright.
    expect(image).toMatchObject({ type: "image/jpeg", width: 8, height: 16 });
    expect(await sharp(image.bytes).metadata()).toMatchObject({ width: 8, height: 16 });
    expect(await metadataIn(image.bytes)).toEqual([]);
    expect(has(image.bytes, "Exif") || has(image.bytes, GPS_LATITUDE_BYTES)).toBe(false);
    // The stored left half (red) is now on top.
    const raw = await pixels(image.bytes);
    expect(raw[0]).toBeGreaterThan(200);
    expect(raw[2]).toBeLessThan(60);
    expect(raw[raw.length - 1]).toBeGreaterThan(200);
    expect(raw[raw.length - 3]).toBeLessThan(60);
  });

  it("re-encodes a JPEG without metadata to a JPEG of the same size", async () => {
    expect(await cleaned(JPEG_2x2)).toMatchObject({ type: "image/jpeg", width: 2, height: 2 });
  });

  it("removes text, EXIF and time chunks from a PNG, keeping its pixels exactly", async () => {
    const original = pngWithMetadata();
    expect(await metadataIn(original)).toEqual(["exif", "xmp", "comments", "orientation"]);
    const image = await cleaned(original);
    expect(image).toMatchObject({ type: "image/png", width: 1, height: 1 });
    expect(await metadataIn(image.bytes)).toEqual([]);
    for (const needle of ["tEXt", "iTXt", "zTXt", "eXIf", "tIME", "xmpmeta", "35.1084N", GPS_LATITUDE_BYTES]) {
      expect(has(image.bytes, needle)).toBe(false);
    }
    expect((await pixels(image.bytes)).equals(await pixels(PNG_1x1))).toBe(true);
  });

  it("removes EXIF and XMP chunks from a WebP", async () => {
    expect(await cleaned(WEBP_3x2)).toMatchObject({ type: "image/webp", width: 3, height: 2 });
    const original = webpWithMetadata();
    expect(await metadataIn(original)).toEqual(["exif", "xmp", "orientation"]);
    const image = await cleaned(original);
    // The EXIF block says orientation 6, so the 3×2 image is stored upright as 2×3.
    expect(image).toMatchObject({ type: "image/webp", width: 2, height: 3 });
    const bytes = Buffer.from(image.bytes);
    expect(has(bytes, "EXIF") || has(bytes, "XMP ") || has(bytes, GPS_LATITUDE_BYTES) || has(bytes, "xmpmeta")).toBe(false);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(await metadataIn(bytes)).toEqual([]);
  });

  it("judges a document kept as uploaded by decoding it", async () => {
    expect(await decodeProblem(PNG_1x1, "image/png")).toBeNull();
    expect(await decodeProblem(JPEG_2x2, "image/jpeg")).toBeNull();
    expect(await decodeProblem(JPEG_2x2.subarray(0, 200), "image/jpeg")).toBe("corrupt");
    expect(await decodeProblem(pngClaiming(4032, 3024), "image/png")).toBe("corrupt");
    expect(await decodeProblem(pngClaiming(8000, 6000), "image/png")).toBe("dimensions");
    // A JPEG signature on PNG data is not the JPEG it claims to be.
    expect(await decodeProblem(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), PNG_1x1]), "image/jpeg")).toBe("corrupt");
  });
});
