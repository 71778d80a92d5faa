import "server-only";
import { sql } from "drizzle-orm";
import { getAddress, zeroAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { offerings, platformContracts, villages, wallets } from "@/db/schema";
import { issuerAddress } from "@/lib/chain/context";
import { env } from "@/lib/env";

/**
 * Addresses no investor may link as "their own" wallet, whatever they can sign for: the zero
 * address, any custodial wallet, the issuer (operator) account, every token and platform contract,
 * and any village's stablecoin payee. In demo mode the operator's key is public; a payee as payer
 * would pay itself and get the tokens free; a custodial address would mix two books.
 */
export async function isReservedAddress(db: DbOrTx, address: string): Promise<boolean> {
  const checksummed = getAddress(address);
  const fixed: Address[] = [zeroAddress, issuerAddress()];
  const settings = env().stablecoin;
  if (settings) fixed.push(getAddress(settings.address), getAddress(settings.settlement));
  if (fixed.some((reserved) => getAddress(reserved) === checksummed)) return true;
  const lowered = checksummed.toLowerCase();
  const [row] = await db.execute<{ reserved: boolean }>(sql`select (
    exists (select 1 from ${wallets} where lower(${wallets.address}) = ${lowered})
    or exists (select 1 from ${offerings} where lower(${offerings.tokenAddress}) = ${lowered})
    or exists (select 1 from ${villages} where lower(${villages.stablecoinPayee}) = ${lowered})
    or exists (select 1 from ${platformContracts} where lower(${platformContracts.address}) = ${lowered})
  ) as reserved`);
  return Boolean(row?.reserved);
}
