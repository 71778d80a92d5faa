/** The browser wallet (EIP-1193, `window.ethereum`) as the link and pay buttons use it; client code only. */

export type BrowserWallet = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

export function browserWallet(): BrowserWallet | null {
  return (globalThis as { ethereum?: BrowserWallet }).ethereum ?? null;
}

/** A server action's form data from plain strings. */
export function formOf(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) data.append(key, value);
  return data;
}

/** What a wallet's refusal means (EIP-1193 codes: 4001 declined, 4100 account not authorised, -32002 a request already open). */
export function walletRefusal(error: unknown): "rejected" | "wrongAccount" | "pending" | "failed" {
  const code = (error as { code?: number } | null)?.code;
  if (code === 4001) return "rejected";
  if (code === 4100) return "wrongAccount";
  if (code === -32002) return "pending";
  return "failed";
}
