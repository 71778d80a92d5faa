/**
 * Withholding on interest of specified public bonds (特定公社債) paid to individuals: national
 * income tax with the reconstruction surtax, 15.315%, and local inhabitant tax, 5%, each computed
 * on the gross and floored to the yen, as Japanese payers do. Principal is not taxed.
 */

export type TaxSplit = { grossYen: number; nationalTaxYen: number; localTaxYen: number; netYen: number };

/** 15.315% = 15315 / 100000 and 5% = 5 / 100, in integers (bigint, so no gross is too large). */
const NATIONAL = { num: 15_315n, den: 100_000n };
const LOCAL = { num: 5n, den: 100n };

export function withholding(grossYen: number): TaxSplit {
  if (!Number.isSafeInteger(grossYen) || grossYen < 0) throw new Error(`gross must be a non-negative integer, got ${grossYen}`);
  const gross = BigInt(grossYen);
  const nationalTaxYen = Number((gross * NATIONAL.num) / NATIONAL.den);
  const localTaxYen = Number((gross * LOCAL.num) / LOCAL.den);
  return { grossYen, nationalTaxYen, localTaxYen, netYen: grossYen - nationalTaxYen - localTaxYen };
}
