/** The municipality a place is in, compared as people write it: no database here, so pages may import it. */

export type Place = { prefecture: string | null | undefined; city: string | null | undefined };

/** NFKC (full-width letters and digits become half-width), then no spaces of any width anywhere. */
export function normaliseMunicipality(value: string | null | undefined): string {
  return (value ?? "").normalize("NFKC").replace(/\s+/g, "");
}

/** The same prefecture code and the same city, whole (never a part of one): "西森村" is not "英田郡西森村". */
export function sameMunicipality(a: Place, b: Place): boolean {
  const prefecture = normaliseMunicipality(a.prefecture);
  const city = normaliseMunicipality(a.city);
  return prefecture !== "" && city !== "" && prefecture === normaliseMunicipality(b.prefecture) && city === normaliseMunicipality(b.city);
}
