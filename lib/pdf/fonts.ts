import "server-only";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * Noto Sans JP for the portal's PDFs, which print Japanese: it comes from npm
 * (@expo-google-fonts/noto-sans-jp) and is read from node_modules at run time, never downloaded;
 * pdfkit embeds only the glyphs used.
 */
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;

export function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve(/* turbopackIgnore: true */ "@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf")),
    bold: readFileSync(require.resolve(/* turbopackIgnore: true */ "@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf")),
  };
  return fonts;
}
