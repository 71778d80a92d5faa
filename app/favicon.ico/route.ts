import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

/**
 * /favicon.ico, which browsers ask for whatever the page links: app/icon.svg drawn at 16, 32 and
 * 48 px into one .ico when the app is built, then served as a static file for a week at a time.
 */
export const dynamic = "force-static";

const SIZES = [16, 32, 48];
const FAVICON_CACHE_CONTROL = "public, max-age=604800";

/** An .ico holding PNG images (Windows Vista on, every current browser): a 6-byte header, a 16-byte entry per image, the images. */
function icoOf(pngs: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size % 256, entry);
    header.writeUInt8(size % 256, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...pngs.map((png) => png.data)]);
}

export async function GET() {
  const svg = await readFile(path.join(process.cwd(), "app", "icon.svg"));
  const pngs = await Promise.all(
    SIZES.map(async (size) => ({
      size,
      data: await sharp(svg, { density: 72 * (size / 32) * 4 })
        .resize(size, size)
        .png()
        .toBuffer(),
    })),
  );
  return new Response(new Uint8Array(icoOf(pngs)), { headers: { "content-type": "image/x-icon", "cache-control": FAVICON_CACHE_CONTROL } });
}
