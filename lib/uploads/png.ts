import { concat, type CleanImage } from "./jpeg";

/**
 * PNG metadata removal: only the chunks needed to draw the image are kept (an allowlist), so
 * eXIf, tEXt, iTXt, zTXt, tIME and anything unknown are dropped; bytes after IEND are cut off.
 */
const KEEP = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD"]);
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function cleanPng(input: Uint8Array): CleanImage | null {
  if (input.length < 8 || !SIGNATURE.every((byte, i) => input[i] === byte)) return null;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const parts: Uint8Array[] = [input.subarray(0, 8)];
  let pos = 8;
  let width = 0;
  let height = 0;
  let sawData = false;
  while (pos + 12 <= input.length) {
    const length = view.getUint32(pos);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > input.length) return null;
    const type = String.fromCharCode(...input.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) return null;
    if (parts.length === 1) {
      if (type !== "IHDR" || length !== 13) return null;
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
    }
    if (type === "IDAT") sawData = true;
    if (KEEP.has(type)) parts.push(input.subarray(pos, end));
    pos = end;
    if (type === "IEND") return sawData && width > 0 && height > 0 ? { bytes: concat(parts), width, height } : null;
  }
  return null;
}
