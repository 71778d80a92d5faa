"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { FormMessage } from "@/components/ui/field";
import type { ActionState, FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";
import { browserWallet as provider, formOf as form, walletRefusal } from "@/components/wallet/browser-wallet";

type Challenge = { message: string };
export type ChallengeAction = (state: ActionState<Challenge>, formData: FormData) => Promise<ActionState<Challenge>>;

type Step = "idle" | "connecting" | "signing" | "verifying";

/** personal_sign takes the message as hex of its UTF-8 bytes. */
function utf8Hex(text: string): string {
  return `0x${Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** A wallet's refusal in words the person can act on. */
function walletError(error: unknown, m: Messages["ownWallets"]["link"]): string {
  return { rejected: m.rejected, wrongAccount: m.wrongAccount, pending: m.walletPending, failed: m.failed }[walletRefusal(error)];
}

/**
 * "Link a wallet": the browser wallet (EIP-1193, `window.ethereum`) names its account, the portal
 * returns a Sign-In-with-Ethereum message for it, the wallet signs it (personal_sign), and the
 * portal checks the signature and records the link. No chain switch is needed: the message carries the chain id.
 */
export function LinkWallet({ challenge, link, chainId, m }: { challenge: ChallengeAction; link: FormAction; chainId: number; m: Messages["ownWallets"]["link"] }) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("idle");
  const [state, setState] = useState<ActionState>({ status: "idle" });
  const [walletChain, setWalletChain] = useState<number | null>(null);
  // Null until the browser has been looked at: the server cannot know whether a wallet is installed.
  const [hasWallet, setHasWallet] = useState<boolean | null>(null);

  // Only shown: the wallet's chain does not matter for a signature, but a person may wonder.
  useEffect(() => {
    const wallet = provider();
    setHasWallet(wallet !== null);
    wallet
      ?.request({ method: "eth_chainId" })
      .then((hex) => setWalletChain(Number.parseInt(String(hex), 16)))
      .catch(() => undefined);
  }, []);

  async function start() {
    const wallet = provider();
    if (!wallet) return setState({ status: "error", message: m.noProvider });
    setState({ status: "idle" });
    try {
      setStep("connecting");
      const [address] = (await wallet.request({ method: "eth_requestAccounts" })) as string[];
      if (!address) return setState({ status: "error", message: m.failed });
      const issued = await challenge({ status: "idle" }, form({ address }));
      if (issued.status !== "ok" || !issued.data) return setState({ status: "error", message: issued.fieldErrors?.address ?? issued.message ?? m.failed });
      setStep("signing");
      const signature = (await wallet.request({ method: "personal_sign", params: [utf8Hex(issued.data.message), address] })) as string;
      setStep("verifying");
      const linked = await link({ status: "idle" }, form({ message: issued.data.message, signature }));
      setState(linked.status === "invalid" ? { status: "error", message: linked.message } : linked);
      if (linked.status === "ok") router.refresh();
    } catch (error) {
      setState({ status: "error", message: walletError(error, m) });
    } finally {
      setStep("idle");
    }
  }

  const label = { idle: m.button, connecting: m.connecting, signing: m.signing, verifying: m.verifying }[step];
  return (
    <div className="space-y-3" data-testid="link-wallet">
      <p className="text-sm text-stone-600">{m.lead}</p>
      <p className="text-sm text-stone-600">{m.account}</p>
      <p className="text-xs text-stone-500">{m.statementNote}</p>
      <p className="text-xs text-stone-500" data-testid="link-wallet-chain">
        {m.expectedChain.replace("{chainId}", String(chainId))}
        {walletChain !== null && walletChain !== chainId ? ` ${m.walletChain.replace("{chainId}", String(walletChain))}` : ""}
      </p>
      {hasWallet === false ? (
        <p className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="link-wallet-none">
          {m.noProvider}
        </p>
      ) : null}
      <button type="button" onClick={start} disabled={step !== "idle"} aria-busy={step !== "idle"} className={buttonClass("primary")} data-testid="link-wallet-button">
        {label}
      </button>
      {/* The button's changing label is not announced by itself: the step is, here. */}
      <p role="status" className="sr-only">
        {step === "idle" ? "" : label}
      </p>
      <div data-testid="link-wallet-result">
        <FormMessage status={state.status} message={state.message} />
      </div>
    </div>
  );
}
