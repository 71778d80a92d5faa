/** Small real images and builders that add metadata to them, for tests (vitest and Playwright). */

import { deflateSync } from "node:zlib";

/** Buffer.concat is typed loosely; File and fetch want bytes over a plain ArrayBuffer. */
const join = (parts: Buffer[]) => Buffer.from(Buffer.concat(parts)) as Buffer<ArrayBuffer>;

/** A 2×2 baseline JPEG. */
export const JPEG_2x2 = Buffer.from(
  "ffd8ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc00011080002000203012200021101031101ffc4001500010100000000000000000000000000000005ffc40014100100000000000000000000000000000000ffc4001501010100000000000000000000000000000204ffc40014110100000000000000000000000000000000ffda000c03010002110311003f009400a27fffd9",
  "hex",
);

/** A 1×1 PNG (with a pHYs chunk, which is kept). */
export const PNG_1x1 = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000970485973000003e8000003e801b57b526b0000000d49444154089963d0cff6ff0f00039f01e9668848650000000049454e44ae426082",
  "hex",
);

/** A 3×2 lossy WebP (simple format, one VP8 chunk). */
export const WEBP_3x2 = Buffer.from("524946462e0000005745425056503820220000007001009d012a0300020002c04c2598027401400000feec6ffa5fafbca1d893000000", "hex");

export const CAMERA_MAKE = "VillagePhone";
/** Latitude 35°6'30.12" as three big-endian rationals, the way the EXIF block below stores it. */
export const GPS_LATITUDE_BYTES = Buffer.from("0000002300000001000000060000000100000bc400000064", "hex");

/** A big-endian TIFF/EXIF block: camera make, orientation and a GPS position. */
function exifWithGps(orientation = 6): Buffer<ArrayBuffer> {
  const tiff = Buffer.alloc(166);
  tiff.write("MM", 0, "latin1");
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number, short = false) => {
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    if (short) tiff.writeUInt16BE(value, at + 8);
    else tiff.writeUInt32BE(value, at + 8);
  };
  tiff.writeUInt16BE(3, 8);
  entry(10, 0x010f, 2, CAMERA_MAKE.length + 1, 50);
  entry(22, 0x0112, 3, 1, orientation, true);
  entry(34, 0x8825, 4, 1, 64);
  tiff.writeUInt32BE(0, 46);
  tiff.write(`${CAMERA_MAKE}\0`, 50, "latin1");
  tiff.writeUInt16BE(4, 64);
  entry(66, 0x0001, 2, 2, 0);
  tiff.write("N\0", 74, "latin1");
  entry(78, 0x0002, 5, 3, 118);
  entry(90, 0x0003, 2, 2, 0);
  tiff.write("E\0", 98, "latin1");
  entry(102, 0x0004, 5, 3, 142);
  tiff.writeUInt32BE(0, 114);
  GPS_LATITUDE_BYTES.copy(tiff, 118);
  Buffer.from("000000860000000100000011000000010000119900000064", "hex").copy(tiff, 142);
  return join([Buffer.from("Exif\0\0", "latin1"), tiff]);
}

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="35,6.502N"/></rdf:RDF></x:xmpmeta>`;

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return join([head, payload]);
}

/** A phone-like JPEG (the 2×2 one, or `jpeg`): EXIF with GPS, XMP, a comment, and bytes appended after the image. */
export function jpegWithGps(orientation = 6, jpeg: Buffer = JPEG_2x2): Buffer<ArrayBuffer> {
  return join([
    jpeg.subarray(0, 2),
    jpegSegment(0xe1, exifWithGps(orientation)),
    jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${XMP}`, "latin1")),
    jpegSegment(0xfe, Buffer.from("shot at the north slope", "latin1")),
    jpeg.subarray(2),
    Buffer.from("<html><script>alert(1)</script></html>", "latin1"),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return join([head, data, crc]);
}

/** The 1×1 PNG with text, international text, EXIF and time chunks after its header. */
export function pngWithMetadata(): Buffer<ArrayBuffer> {
  return join([
    PNG_1x1.subarray(0, 33),
    pngChunk("tEXt", Buffer.from("Comment\0taken at 35.1084N 134.2959E", "latin1")),
    pngChunk("iTXt", Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${XMP}`, "latin1")),
    pngChunk("eXIf", exifWithGps().subarray(6)),
    pngChunk("tIME", Buffer.from("07ea0b16000000", "hex")),
    PNG_1x1.subarray(33),
  ]);
}

/** A PNG header that claims the given size (its pixel data is the 1×1 one). */
export function pngClaiming(width: number, height: number): Buffer<ArrayBuffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return join([PNG_1x1.subarray(0, 8), pngChunk("IHDR", ihdr), PNG_1x1.subarray(33)]);
}

/**
 * A decompression bomb: a valid 1-bit grey PNG of `width` × `height` black pixels. Its rows of
 * zeros deflate to about a thousandth of their size, so 9,000 × 9,000 is a 10 KB file.
 */
export function pngBomb(width: number, height: number): Buffer<ArrayBuffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0, then the bits
  return join([PNG_1x1.subarray(0, 8), pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(rows)), pngChunk("IEND", Buffer.alloc(0))]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, "latin1");
  head.writeUInt32LE(data.length, 4);
  return join([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** The 3×2 WebP in the extended format, with EXIF and XMP chunks and their VP8X flags set. */
export function webpWithMetadata(): Buffer<ArrayBuffer> {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08 | 0x04;
  vp8x.writeUIntLE(3 - 1, 4, 3);
  vp8x.writeUIntLE(2 - 1, 7, 3);
  const body = Buffer.concat([riffChunk("VP8X", vp8x), WEBP_3x2.subarray(12), riffChunk("EXIF", exifWithGps().subarray(6)), riffChunk("XMP ", Buffer.from(XMP, "latin1"))]);
  const head = Buffer.alloc(12);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length + 4, 4);
  head.write("WEBP", 8, "latin1");
  return join([head, body]);
}
