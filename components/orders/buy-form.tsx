"use client";

import { useState } from "react";
import { MethodChoice, type MethodChoiceProps, methodsOf } from "@/components/stablecoin/method-choice";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { PaymentMethod } from "@/db/schema";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

const yen = (value: number) => `¥${value.toLocaleString("en-US")}`;

export function BuyForm(props: {
  action: FormAction;
  offeringId: string;
  priceYen: number;
  min: number;
  max: number;
  remainingYen: number;
  disclosure: { id: string; version: string; title: string; body: string };
  m: Messages["buy"];
  /** The ways to pay besides card: pay-later methods the offering takes now, JPYC when the buyer can pay in it. */
  methods: MethodChoiceProps;
}) {
  const { state, pending, formProps } = useActionForm(props.action);
  const [units, setUnits] = useState(props.min);
  const offered = methodsOf(props.methods);
  const [chosen, setMethod] = useState<PaymentMethod>("card");
  const method = offered.includes(chosen) ? chosen : "card";
  const m = props.m;
  const { stablecoin: sm, deferred: dm } = props.methods.m;
  const submit = { card: m.submit, stablecoin: sm.submit, konbini: dm.submitKonbini, bank_transfer: dm.submitBankTransfer }[method];
  const payNote = { card: m.payNote, stablecoin: sm.payNote, konbini: dm.payNoteKonbini, bank_transfer: dm.payNoteBankTransfer }[method];
  const unitsError = state.fieldErrors?.units;
  const confirmError = state.fieldErrors?.confirmDisclosure ?? state.fieldErrors?.disclosureId;
  return (
    <form {...formProps} className="space-y-4" noValidate>
      <input type="hidden" name="offeringId" value={props.offeringId} />
      <input type="hidden" name="disclosureId" value={props.disclosure.id} />
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      <div>
        <label htmlFor="units" className="block text-sm font-medium">
          {m.units}
        </label>
        <div className="mt-1 flex items-center gap-2">
          <button type="button" aria-label="−" onClick={() => setUnits((n) => Math.max(props.min, n - 1))} className="size-11 rounded-lg border border-stone-300 text-lg">
            −
          </button>
          <input
            id="units"
            name="units"
            inputMode="numeric"
            value={Number.isFinite(units) ? units : ""}
            onChange={(event) => setUnits(Number.parseInt(event.target.value.replace(/[^\d]/g, ""), 10))}
            aria-invalid={unitsError ? true : undefined}
            aria-describedby="units-help units-error"
            className="min-h-11 w-28 rounded-lg border border-stone-300 px-3 text-center text-lg tabular-nums"
          />
          <button type="button" aria-label="+" onClick={() => setUnits((n) => Math.min(props.max, (Number.isFinite(n) ? n : 0) + 1))} className="size-11 rounded-lg border border-stone-300 text-lg">
            +
          </button>
        </div>
        <p id="units-help" className="mt-1 text-xs text-stone-500">
          {m.limits.replace("{min}", String(props.min)).replace("{max}", String(props.max)).replace("{remaining}", yen(props.remainingYen))}
        </p>
        {unitsError ? (
          <p id="units-error" role="alert" className="mt-1 text-sm text-red-700">
            {unitsError}
          </p>
        ) : null}
      </div>
      <p className="flex items-baseline justify-between rounded-lg bg-stone-100 px-3 py-2">
        <span className="text-sm">{m.total}</span>
        <span className="text-xl font-bold tabular-nums" data-testid="buy-total">
          {yen(Number.isFinite(units) ? units * props.priceYen : 0)}
        </span>
      </p>
      <details className="rounded-lg border border-stone-200 bg-stone-50 p-3 text-sm">
        <summary className="cursor-pointer font-medium">
          {m.readDisclosure}: {props.disclosure.title}
        </summary>
        <p className="mt-2 whitespace-pre-line text-stone-700">{props.disclosure.body}</p>
      </details>
      <label className="flex min-h-11 items-start gap-3 text-sm">
        <input type="checkbox" name="confirmDisclosure" className="mt-0.5 size-5 accent-forest-700" />
        <span>{m.disclosure.replace("{version}", props.disclosure.version)}</span>
      </label>
      {confirmError ? (
        <p role="alert" className="text-sm text-red-700">
          {confirmError}
        </p>
      ) : null}
      {offered.length > 1 ? <MethodChoice {...props.methods} value={method} onChange={setMethod} /> : null}
      <SubmitButton pending={pending} label={submit} pendingLabel={m.submitting} className="w-full" />
      <p className="text-xs text-stone-500" data-testid="buy-pay-note">
        {payNote}
      </p>
    </form>
  );
}
