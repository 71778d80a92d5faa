import "server-only";

// STUB signature (the perks helper implements it).

/** The perk's packing list: CSV with a UTF-8 BOM (name, kana, postal code, address, phone, item), live claims only, formula-safe. */
export async function packingListCsv(_perkId: string, _locale: "ja" | "en"): Promise<{ filename: string; body: string; rows: number }> {
  throw new Error("not implemented");
}
