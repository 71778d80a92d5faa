import { concat, type CleanImage } from "./jpeg";

/**
 * WebP metadata removal: the RIFF chunks are walked, EXIF and XMP (and unknown chunks) dropped,
 * their flags cleared in VP8X, and the RIFF size rewritten. Bytes past the RIFF size are cut off.
 */
const KEEP = new Set(["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]);
const EXIF_FLAG = 0x08;
const XMP_FLAG = 0x04;

const fourcc = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

function dimensions(type: string, data: Uint8Array): [number, number] | null {
  if (type === "VP8X" && data.length >= 10) {
    const u24 = (at: number) => data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16);
    return [u24(4) + 1, u24(7) + 1];
  }
  if (type === "VP8 " && data.length >= 10 && data[3] === 0x9d && data[4] === 0x01 && data[5] === 0x2a) {
    return [(data[6]! | (data[7]! << 8)) & 0x3fff, (data[8]! | (data[9]! << 8)) & 0x3fff];
  }
  if (type === "VP8L" && data.length >= 5 && data[0] === 0x2f) {
    const bits = (data[1]! | (data[2]! << 8) | (data[3]! << 16) | (data[4]! << 24)) >>> 0;
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  return null;
}

export function cleanWebp(input: Uint8Array): CleanImage | null {
  if (input.length < 20 || fourcc(input, 0) !== "RIFF" || fourcc(input, 8) !== "WEBP") return null;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const riffEnd = 8 + view.getUint32(0 + 4, true);
  if (riffEnd > input.length || riffEnd < 20) return null;
  const chunks: Uint8Array[] = [];
  let size: [number, number] | null = null;
  let pos = 12;
  while (pos + 8 <= riffEnd) {
    const type = fourcc(input, pos);
    const length = view.getUint32(pos + 4, true);
    const end = pos + 8 + length + (length % 2);
    if (end > riffEnd) return null;
    const data = input.subarray(pos + 8, pos + 8 + length);
    if (chunks.length === 0) {
      size = dimensions(type, data);
      if (!size) return null;
    }
    if (KEEP.has(type)) {
      const chunk = input.slice(pos, end);
      if (type === "VP8X") chunk[8] = chunk[8]! & ~(EXIF_FLAG | XMP_FLAG);
      chunks.push(chunk);
    }
    pos = end;
  }
  if (pos !== riffEnd || !size || size[0] === 0 || size[1] === 0) return null;
  const header = new Uint8Array(12);
  header.set(input.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, 4 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), true);
  return { bytes: concat([header, ...chunks]), width: size[0], height: size[1] };
}
