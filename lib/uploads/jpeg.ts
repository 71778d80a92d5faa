/**
 * JPEG metadata removal by walking the marker segments: APP1 (EXIF, XMP), APP3–APP13, APP15 and
 * comments are dropped, anything after EOI (multi-picture data, appended files) is cut off. Only
 * the EXIF orientation survives, rewritten as a one-tag EXIF block, so phone photos stay upright.
 */

export type CleanImage = { bytes: Uint8Array; width: number; height: number };

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/** The EXIF orientation (1–8) in an APP1 payload, or 1 when absent or unreadable. */
export function exifOrientation(app1: Uint8Array): number {
  if (!ascii(app1, 0, "Exif\0\0")) return 1;
  const tiff = app1.subarray(6);
  const little = ascii(tiff, 0, "II");
  if (!little && !ascii(tiff, 0, "MM")) return 1;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (tiff.length < 8) return 1;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) === 0x0112 && view.getUint16(entry + 2, little) === 3) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** A complete APP1 segment holding only the orientation tag (big-endian TIFF). */
function orientationSegment(orientation: number): Uint8Array {
  const segment = new Uint8Array(36);
  const view = new DataView(segment.buffer);
  view.setUint16(0, 0xffe1);
  view.setUint16(2, 34);
  segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
  segment.set([0x4d, 0x4d, 0x00, 0x2a], 10); // "MM", 42
  view.setUint32(14, 8); // IFD0 right after the header
  view.setUint16(18, 1); // one entry
  view.setUint16(20, 0x0112);
  view.setUint16(22, 3); // SHORT
  view.setUint32(24, 1);
  view.setUint16(28, orientation);
  view.setUint32(32, 0); // no next IFD
  return segment;
}

function keepApp(marker: number, payload: Uint8Array): boolean {
  if (marker === 0xe0) return true; // JFIF / JFXX
  if (marker === 0xe2) return ascii(payload, 0, "ICC_PROFILE\0"); // colour profile; APP2 also carries MPF
  if (marker === 0xee) return ascii(payload, 0, "Adobe"); // colour transform, needed to decode CMYK/YCCK
  return false;
}

export function cleanJpeg(input: Uint8Array): CleanImage | null {
  const n = input.length;
  if (n < 4 || input[0] !== 0xff || input[1] !== 0xd8) return null;
  const parts: Uint8Array[] = [input.subarray(0, 2)];
  let pos = 2;
  let width = 0;
  let height = 0;
  let orientation = 1;
  let scans = 0;
  let afterApp0 = 1; // index in parts where the orientation segment goes

  while (pos < n) {
    if (input[pos] !== 0xff) return null;
    while (pos < n && input[pos] === 0xff) pos++; // fill bytes
    if (pos >= n) return null;
    const marker = input[pos]!;
    pos++;
    if (marker === 0xd9) {
      parts.push(Uint8Array.of(0xff, 0xd9));
      if (!width || !height || scans === 0) return null;
      if (orientation !== 1) parts.splice(afterApp0, 0, orientationSegment(orientation));
      return { bytes: concat(parts), width, height };
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xd8 || marker === 0x00) return null;
    if (pos + 2 > n) return null;
    const length = (input[pos]! << 8) | input[pos + 1]!;
    if (length < 2 || pos + length > n) return null;
    const payload = input.subarray(pos + 2, pos + length);
    const segment = input.subarray(pos - 2, pos + length);
    pos += length;

    if (marker >= 0xe0 && marker <= 0xef) {
      if (marker === 0xe1 && ascii(payload, 0, "Exif\0\0")) orientation = exifOrientation(payload);
      if (keepApp(marker, payload)) {
        parts.push(segment);
        if (marker === 0xe0 && parts.length === 2) afterApp0 = 2;
      }
      continue;
    }
    if (marker === 0xfe) continue; // comment
    if (SOF_MARKERS.has(marker)) {
      if (payload.length < 6) return null;
      height = (payload[1]! << 8) | payload[2]!;
      width = (payload[3]! << 8) | payload[4]!;
    }
    parts.push(segment);
    if (marker === 0xda) {
      scans++;
      // Entropy-coded data runs until a marker that is not a stuffed 0xFF00 or a restart marker.
      const start = pos;
      while (pos < n) {
        if (input[pos] !== 0xff) {
          pos++;
          continue;
        }
        const next = input[pos + 1];
        if (next === undefined) return null;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) pos += 2;
        else if (next === 0xff) pos++;
        else break;
      }
      parts.push(input.subarray(start, pos));
    }
  }
  return null; // no EOI: truncated
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
