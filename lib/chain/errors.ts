import "server-only";
import { decodeErrorResult, type Hex } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";

/**
 * What an RPC error means for the signer queue. `revert` and `fatal` are final (the row fails with
 * the reason, for staff); the others are retried or resolved by the queue.
 */
type ChainErrorKind = "revert" | "fatal" | "nonce_too_low" | "already_known" | "underpriced" | "insufficient_funds" | "unavailable" | "unknown";

export type ClassifiedError = { kind: ChainErrorKind; message: string };

/** A retryable condition (node unreachable, funds missing, still pending): the job runs again later. */
export class ChainRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainRetryableError";
  }
}

function causes(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = error;
  for (let i = 0; current && typeof current === "object" && i < 12; i++) {
    chain.push(current as Record<string, unknown>);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** Revert data from anywhere in viem's error chain (geth puts it in data, Hardhat in data.data). */
function revertData(error: unknown): Hex | undefined {
  for (const cause of causes(error)) {
    const data = cause.data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data) && data.length >= 10) return data as Hex;
    const nested = (data as { data?: unknown } | undefined)?.data;
    if (typeof nested === "string" && /^0x[0-9a-fA-F]*$/.test(nested) && nested.length >= 10) return nested as Hex;
  }
  return undefined;
}

/** `AlreadyAllocated(7)` from revert data, when the token's ABI knows the error. */
function describeRevert(data: Hex | undefined): string | undefined {
  if (!data) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: villageTokenAbi, data });
    return `${decoded.errorName}(${(decoded.args ?? []).map(String).join(", ")})`;
  } catch {
    return `revert data ${data.slice(0, 74)}`;
  }
}

export function classifyChainError(error: unknown): ClassifiedError {
  const all = causes(error);
  const text = all
    .flatMap((cause) => [cause.shortMessage, cause.details, cause.message, (cause.data as { message?: unknown } | undefined)?.message])
    .filter((part): part is string => typeof part === "string")
    .join(" | ");
  const lower = text.toLowerCase();
  const names = all.map((cause) => (cause.constructor as { name?: string } | undefined)?.name ?? "");
  const brief = (all.find((c) => typeof c.details === "string")?.details as string | undefined) ?? (all[0]?.shortMessage as string | undefined) ?? String(error);

  if (names.some((name) => name === "HttpRequestError" || name === "TimeoutError" || name === "SocketClosedError") || /fetch failed|econnrefused|econnreset|socket hang up|timed? ?out/.test(lower)) {
    return { kind: "unavailable", message: `node unreachable: ${brief}` };
  }
  if (names.includes("ContractFunctionZeroDataError")) {
    // No code at the address: a dev chain still replaying its journal, or a wrong token address.
    return { kind: "unavailable", message: `no contract answers at the token address: ${brief}` };
  }
  if (/nonce too low|nonce has already been used|nonce is too low|noncetoolow/.test(lower) || names.includes("NonceTooLowError")) {
    return { kind: "nonce_too_low", message: brief };
  }
  if (/already known|known transaction|already imported|alreadyknown/.test(lower)) return { kind: "already_known", message: brief };
  if (/underpriced|replacement fee too low|fee too low/.test(lower)) return { kind: "underpriced", message: brief };
  if (/insufficient funds/.test(lower)) return { kind: "insufficient_funds", message: `the signer cannot pay gas: ${brief}` };
  const data = revertData(error);
  if (data || /revert|vm exception/.test(lower)) return { kind: "revert", message: describeRevert(data) ?? brief };
  if (/intrinsic gas too low|exceeds block gas limit|invalid sender|invalid chain id|chainid|oversized data/.test(lower)) return { kind: "fatal", message: brief };
  return { kind: "unknown", message: brief };
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof ChainRetryableError) return true;
  const { kind } = classifyChainError(error);
  return kind === "unavailable" || kind === "insufficient_funds";
}

const PLAIN: [RegExp, PlainChainError][] = [
  [/EnforcedPause/, "paused"],
  [/ExpectedPause/, "notPaused"],
  [/WalletNotAllowlisted/, "notAllowlisted"],
  [/WalletFrozen/, "frozen"],
  [/AlreadyAllocated/, "alreadyAllocated"],
  [/AlreadyClawedBack/, "alreadyClawedBack"],
  [/AlreadyRedeemed/, "alreadyRedeemed"],
  [/NotAllocated/, "notAllocated"],
  [/ERC20InsufficientBalance/, "insufficientBalance"],
  [/AccessControlUnauthorizedAccount/, "noRole"],
  [/SupplyCapExceeded/, "supplyCap"],
  [/cannot pay gas|insufficient funds/i, "noGas"],
  [/node unreachable|no contract/i, "unreachable"],
  [/out of gas/i, "outOfGas"],
  [/given up by staff/, "cancelled"],
  [/re-sent|no receipt|nonce .* was used/i, "stuck"],
];

export type PlainChainError =
  | "none"
  | "paused"
  | "notPaused"
  | "notAllowlisted"
  | "frozen"
  | "alreadyAllocated"
  | "alreadyClawedBack"
  | "alreadyRedeemed"
  | "notAllocated"
  | "insufficientBalance"
  | "noRole"
  | "supplyCap"
  | "noGas"
  | "unreachable"
  | "outOfGas"
  | "cancelled"
  | "stuck"
  | "unknown";

/** A stored chain error (chain_transactions.error) as one reason staff can act on; the raw text stays for details. */
export function plainChainError(message: string | null): PlainChainError {
  if (!message) return "none";
  return PLAIN.find(([pattern]) => pattern.test(message))?.[1] ?? "unknown";
}
