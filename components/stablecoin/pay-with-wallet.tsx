"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button-styles";
import type { ActionState, FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";
import type { PaymentTypedData } from "@/lib/stablecoin/authorization";
import { browserWallet as provider, formOf as form, walletRefusal } from "@/components/wallet/browser-wallet";

type Prepared = { typedData: PaymentTypedData };
export type PrepareAction = (state: ActionState<Prepared>, formData: FormData) => Promise<ActionState<Prepared>>;

type Step = "idle" | "preparing" | "signing" | "sending";
type PayText = Messages["stablecoin"]["pay"];

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/** A wallet's refusal in words the person can act on. */
function walletError(error: unknown, m: PayText): string {
  return { rejected: m.rejected, wrongAccount: m.walletFailed, pending: m.walletPending, failed: m.walletFailed }[walletRefusal(error)];
}

/**
 * The pay button of a stablecoin order: the browser wallet (EIP-1193) names the paying account,
 * the portal returns the EIP-3009 ReceiveWithAuthorization for it, the wallet signs it
 * (eth_signTypedData_v4), and the signature goes back to the portal, which sends it on chain.
 * An account that is not one of the investor's linked wallets, or a wallet left on another chain,
 * is named before anything is signed.
 */
export function PayWithWallet(props: { orderId: string; payFrom: string[]; prepare: PrepareAction; submit: FormAction; m: PayText; retry: boolean }) {
  const { m } = props;
  const router = useRouter();
  const [step, setStep] = useState<Step>("idle");
  const [state, setState] = useState<ActionState>({ status: "idle" });

  async function pay() {
    const wallet = provider();
    if (!wallet) return setState({ status: "error", message: m.noWallet });
    setState({ status: "idle" });
    try {
      setStep("preparing");
      const [from] = (await wallet.request({ method: "eth_requestAccounts" })) as string[];
      if (!from) return setState({ status: "error", message: m.walletFailed });
      if (!props.payFrom.some((address) => address.toLowerCase() === from.toLowerCase())) {
        return setState({ status: "error", message: fill(m.wrongAccount, { address: from, expected: props.payFrom.join(" / ") }) });
      }
      const prepared = await props.prepare({ status: "idle" }, form({ orderId: props.orderId, from }));
      if (prepared.status !== "ok") return setState(prepared);
      const { typedData } = prepared.data!;
      // The wallet signs for the chain it is on: ask it onto the stablecoin's chain first (it may say no).
      const chainId = Number(typedData.domain.chainId);
      await wallet.request({ method: "wallet_switchEthereumChain", params: [{ chainId: `0x${chainId.toString(16)}` }] }).catch(() => undefined);
      const onChain = await wallet
        .request({ method: "eth_chainId" })
        .then((hex) => Number.parseInt(String(hex), 16))
        .catch(() => chainId);
      if (onChain !== chainId) return setState({ status: "error", message: fill(m.wrongChain, { chainId: String(chainId) }) });
      setStep("signing");
      const signature = (await wallet.request({ method: "eth_signTypedData_v4", params: [typedData.message.from, JSON.stringify(typedData)] })) as string;
      setStep("sending");
      const sent = await props.submit({ status: "idle" }, form({ orderId: props.orderId, ...typedData.message, signature }));
      setState(sent);
      if (sent.status === "ok") router.refresh();
    } catch (error) {
      setState({ status: "error", message: walletError(error, m) });
    } finally {
      setStep("idle");
    }
  }

  const label = { idle: m.sign, preparing: m.preparing, signing: m.signing, sending: m.sending }[step];
  return (
    <div className="space-y-2">
      {props.retry ? <p className="text-sm">{m.tryAgain}</p> : null}
      <FormMessage status={state.status === "invalid" ? "error" : state.status} message={state.message} />
      <button type="button" onClick={pay} disabled={step !== "idle"} aria-busy={step !== "idle"} className={buttonClass("primary", "w-full")} data-testid="pay-with-wallet">
        {label}
      </button>
      {/* The button's changing label is not announced by itself: the step is, here. */}
      <p role="status" className="sr-only">
        {step === "idle" ? "" : label}
      </p>
    </div>
  );
}
