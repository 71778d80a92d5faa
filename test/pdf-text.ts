// The text drawn on a pdfkit PDF's pages, for tests: each font's glyph ids mapped back through
// its ToUnicode table (used by the settlement report's and the statements' tests).
import { inflateSync } from "node:zlib";

/** The text drawn on the pages: each font's glyph ids mapped back through its ToUnicode table. */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const objects = new Map<string, { dict: string; stream: string | null }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = m[2]!;
    const streamAt = body.indexOf("stream");
    const dict = streamAt < 0 ? body : body.slice(0, streamAt);
    let stream: string | null = null;
    if (streamAt >= 0) {
      const data = Buffer.from(
        body
          .slice(streamAt + 6)
          .replace(/^\r?\n/, "")
          .replace(/\r?\nendstream\s*$/, ""),
        "latin1",
      );
      stream = (dict.includes("/FlateDecode") ? inflateSync(data) : data).toString("latin1");
    }
    objects.set(m[1]!, { dict, stream });
  }
  const cmaps = new Map<string, Map<number, string>>();
  for (const [name, ref] of raw.matchAll(/\/(F\d+) (\d+) 0 R/g).map((m) => [m[1]!, m[2]!] as const)) {
    const unicodeRef = /\/ToUnicode (\d+) 0 R/.exec(objects.get(ref)?.dict ?? "")?.[1];
    const cmap = objects.get(unicodeRef ?? "")?.stream;
    if (!cmap) continue;
    const map = new Map<number, string>();
    // A ligature maps to several code points: <0066 0066> is "ff".
    const char = (hex: string) => String.fromCodePoint(...(hex.replace(/ /g, "").match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
    for (const range of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const first = Number.parseInt(range[1]!, 16);
      for (const [i, dst] of [...range[3]!.matchAll(/<([0-9a-f ]+)>/gi)].entries()) map.set(first + i, char(dst[1]!));
    }
    cmaps.set(name, map);
  }
  const lines: string[] = [];
  for (const { stream } of objects.values()) {
    if (!stream?.includes(" TJ")) continue;
    let font: Map<number, string> | undefined;
    for (const op of stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) font = cmaps.get(op[1]);
      else lines.push([...op[2]!.matchAll(/<([0-9a-f]+)>/gi)].map((hex) => (hex[1]!.match(/.{4}/g) ?? []).map((id) => font?.get(Number.parseInt(id, 16)) ?? "?").join("")).join(""));
    }
  }
  return lines.join("\n");
}
