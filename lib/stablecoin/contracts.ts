import "server-only";
import { eq } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { platformContracts } from "@/db/schema";
import { env } from "@/lib/env";

/** The stablecoin and settlement contract of a chain: from the settings (live), or as the dev chain deployed them. */
export type StablecoinSetup = { stablecoin: Address; settlement: Address; decimals: number; eip712Name: string; eip712Version: string };

/** What a platform_contracts row of the stablecoin keeps beside its address. */
export type StablecoinDetail = { decimals: number; eip712Name: string; eip712Version: string };

/**
 * The chain's stablecoin setup: the settings when they name one (live); in demo mode the contracts
 * the dev chain deployed (platform_contracts); null when there is none (no stablecoin payment).
 */
export async function stablecoinSetup(db: DbOrTx, chainId: number): Promise<StablecoinSetup | null> {
  const settings = env();
  if (settings.stablecoin) {
    const { address, settlement, decimals, eip712Name, eip712Version } = settings.stablecoin;
    return { stablecoin: getAddress(address), settlement: getAddress(settlement), decimals, eip712Name, eip712Version };
  }
  if (!settings.isDemo) return null;
  return setupFromRows(await db.select().from(platformContracts).where(eq(platformContracts.chainId, chainId)));
}

/** Both rows of a chain as one setup, or null while either is missing. */
export function setupFromRows(rows: (typeof platformContracts.$inferSelect)[]): StablecoinSetup | null {
  const stablecoin = rows.find((row) => row.name === "stablecoin");
  const settlement = rows.find((row) => row.name === "settlement");
  if (!stablecoin || !settlement) return null;
  const detail = stablecoin.detail as Partial<StablecoinDetail>;
  if (typeof detail.decimals !== "number" || typeof detail.eip712Name !== "string" || typeof detail.eip712Version !== "string") return null;
  return { stablecoin: getAddress(stablecoin.address), settlement: getAddress(settlement.address), decimals: detail.decimals, eip712Name: detail.eip712Name, eip712Version: detail.eip712Version };
}
