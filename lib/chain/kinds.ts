/** Kinds of transaction the signer queue sends (chain_transactions.kind); pages may import this. */
const CHAIN_TX_KINDS = [
  "deploy",
  "allocate",
  "allowlist",
  "delist",
  "clawback",
  "freeze",
  "unfreeze",
  "pause",
  "unpause",
  "forced_transfer",
  "redeem",
  "perk_burn",
  "perk_restore",
  "platform_deploy",
  "stablecoin_mint",
  "grant_role",
  "gas_topup",
  "withdrawal",
  "settlement",
] as const;

export type ChainTxKind = (typeof CHAIN_TX_KINDS)[number];

/** The label key of a stored kind: itself when known, else "other" (a row from an older version). */
export function chainKindKey(kind: string): ChainTxKind | "other" {
  return (CHAIN_TX_KINDS as readonly string[]).includes(kind) ? (kind as ChainTxKind) : "other";
}
