/**
 * Kana of bank account holder names. Shared by the form's schema and the server (no server-only).
 *
 * The rule, as banks apply it: bank records (and the zengin-code list, e.g. "トウキヨウ",
 * "ミツビシユ－エフジエイ") write names in large kana only and a long vowel as one dash, so two names
 * are the same holder when they are equal after small kana become large (ャ→ヤ, ッ→ツ, ヮ→ワ,
 * ヵ→カ, ヶ→ケ), every long vowel mark or dash (ー, ｰ, －, -, ‐, ―, −) is one mark, and spaces and
 * middle dots between names are dropped. What is stored keeps what the investor typed, normalised.
 */

const SMALL_TO_LARGE: Record<string, string> = {
  ァ: "ア",
  ィ: "イ",
  ゥ: "ウ",
  ェ: "エ",
  ォ: "オ",
  ッ: "ツ",
  ャ: "ヤ",
  ュ: "ユ",
  ョ: "ヨ",
  ヮ: "ワ",
  ヵ: "カ",
  ヶ: "ケ",
};

const LONG_MARKS = /[ー\-‐‑–—―−－ｰ]/g;

/**
 * Full-width katakana with one full-width space between names: half-width katakana and full-width
 * forms are folded (NFKC), hiragana becomes katakana, any dash becomes ー, runs of spaces become one.
 */
export function normaliseHolderName(input: string): string {
  return input
    .normalize("NFKC")
    .replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(LONG_MARKS, "ー")
    .trim()
    .replace(/\s+/g, "\u3000");
}

/** Full-width katakana names (and long vowel marks), separated by single full-width spaces. */
export function isKatakanaName(value: string): boolean {
  return /^[\u30a1-\u30f6\u30fc]+(\u3000[\u30a1-\u30f6\u30fc]+)*$/u.test(value);
}

/** The comparison key of a name as banks compare it (see the rule above). */
function bankKey(value: string): string {
  return normaliseHolderName(value)
    .replace(/[\s・･]/g, "")
    .replace(/[ァィゥェォッャュョヮヵヶ]/g, (ch) => SMALL_TO_LARGE[ch] ?? ch);
}

/** Whether an account holder name is the profile's kana name (family then given). */
export function holderMatchesProfile(holderName: string, profile: { familyNameKana: string | null; givenNameKana: string | null }): boolean {
  if (!profile.familyNameKana || !profile.givenNameKana) return false;
  return bankKey(holderName) === bankKey(`${profile.familyNameKana}${profile.givenNameKana}`);
}

/** The profile's kana name as a holder name suggestion: "ヤマダ　ハナコ". */
export function holderNameFromProfile(profile: { familyNameKana: string | null; givenNameKana: string | null }): string {
  return normaliseHolderName(`${profile.familyNameKana ?? ""} ${profile.givenNameKana ?? ""}`);
}

/** Full-width digits to ASCII, spaces and dashes dropped: "１２３ ４５６７" → "1234567". */
export function normaliseDigits(input: string): string {
  return input.normalize("NFKC").replace(/[\s\-‐−ー－]/g, "");
}
