"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { FormMessage } from "@/components/ui/field";

export type DevFaucetLabels = { button: string; pending: string; note: string; failed: string };

/**
 * Demo mode only: a button that asks /api/dev/stablecoin-faucet for test JPYC on the dev chain for
 * one linked wallet, and shows the answer (already in the reader's language). The labels come from
 * the `stablecoin.devFaucet` messages.
 */
export function DevFaucet({ address, labels }: { address: string; labels: DevFaucetLabels }) {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ status: "ok" | "error"; message: string } | null>(null);
  const request = async () => {
    setPending(true);
    setResult(null);
    try {
      const response = await fetch("/api/dev/stablecoin-faucet", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ address }) });
      const body = (await response.json().catch(() => null)) as { status?: string; message?: string } | null;
      setResult({ status: response.ok ? "ok" : "error", message: body?.message ?? labels.failed });
    } catch {
      setResult({ status: "error", message: labels.failed });
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="space-y-2" data-testid="dev-faucet">
      <p className="text-xs text-stone-600">{labels.note}</p>
      <button type="button" onClick={request} disabled={pending} aria-disabled={pending} className={buttonClass("primary")} data-testid="dev-faucet-button">
        {pending ? labels.pending : labels.button}
      </button>
      {result ? <FormMessage status={result.status} message={result.message} /> : null}
    </div>
  );
}
