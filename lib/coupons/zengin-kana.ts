/**
 * Text for Zengin transfer files: names in half-width katakana (JIS X 0201) and the few other
 * characters banks accept, one byte each in Shift_JIS. Shared by the settings form's schema and
 * the file writer (no server-only).
 *
 * The rule: voiced kana become two characters (ガ → ｶﾞ, パ → ﾊﾟ, ヴ → ｳﾞ), small kana become large
 * (ャ → ﾔ, ッ → ﾂ: banks record names in large kana only), every long vowel mark or dash becomes
 * "-" (the long vowel ｰ is not in the Zengin character set; bank records write it as a hyphen),
 * full-width letters, digits and spaces become half-width, letters upper case. Anything else
 * (kanji, hiragana that is not kana, other symbols) is refused, never dropped.
 */

const LARGE = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ";
const FULL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";

const TABLE: Record<string, string> = {};
for (let i = 0; i < FULL.length; i += 1) TABLE[FULL[i]!] = LARGE[i]!;
for (const [voiced, plain] of Object.entries({
  ガ: "カ",
  ギ: "キ",
  グ: "ク",
  ゲ: "ケ",
  ゴ: "コ",
  ザ: "サ",
  ジ: "シ",
  ズ: "ス",
  ゼ: "セ",
  ゾ: "ソ",
  ダ: "タ",
  ヂ: "チ",
  ヅ: "ツ",
  デ: "テ",
  ド: "ト",
  バ: "ハ",
  ビ: "ヒ",
  ブ: "フ",
  ベ: "ヘ",
  ボ: "ホ",
  ヴ: "ウ",
})) {
  TABLE[voiced] = `${TABLE[plain]}ﾞ`;
}
for (const [semi, plain] of Object.entries({ パ: "ハ", ピ: "ヒ", プ: "フ", ペ: "ヘ", ポ: "ホ" })) TABLE[semi] = `${TABLE[plain]}ﾟ`;
for (const [small, large] of Object.entries({ ァ: "ア", ィ: "イ", ゥ: "ウ", ェ: "エ", ォ: "オ", ッ: "ツ", ャ: "ヤ", ュ: "ユ", ョ: "ヨ", ヮ: "ワ", ヵ: "カ", ヶ: "ケ", ヰ: "イ", ヱ: "エ" })) {
  TABLE[small] = TABLE[large]!;
}
Object.assign(TABLE, { "\u3099": "ﾞ", "\u309a": "ﾟ", "「": "｢", "」": "｣", "・": "." });

const LONG_MARKS = /[ー\-‐‑–—―−－ｰ]/g;

/** Every character a Zengin text field may hold. */
export const ZENGIN_TEXT = /^[0-9A-Z ()./\-｢｣ｦｱ-ﾝﾞﾟ]*$/u;

export type KanaResult = { ok: true; value: string } | { ok: false; invalid: string[] };

/** The Zengin form of a name (see the rule above), or the characters that have none. */
export function toZenginKana(input: string): KanaResult {
  const folded = input
    .normalize("NFKC")
    .replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(LONG_MARKS, "-")
    .toUpperCase()
    .replace(/\s+/g, " ")
    .trim();
  let value = "";
  const invalid = new Set<string>();
  for (const ch of folded) {
    const mapped = TABLE[ch] ?? ch;
    if (ZENGIN_TEXT.test(mapped)) value += mapped;
    else invalid.add(ch);
  }
  return invalid.size > 0 ? { ok: false, invalid: [...invalid] } : { ok: true, value };
}

/** The first `length` characters: banks read only that much of a name field. */
export function fitZengin(value: string, length: number): string {
  return value.length <= length ? value : value.slice(0, length).trimEnd();
}
