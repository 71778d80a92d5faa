"use client";

import { useState } from "react";
import { FileField, TextArea } from "@/components/staff/form-parts";
import { useResetOnOk } from "@/components/staff/use-reset-on-ok";
import { Field, FormMessage, RadioGroup, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

type Kind = "holding" | "redeeming";

/**
 * Creates a perk, or edits one (`perkId`): a holding perk asks for the minimum held at a record
 * date, a redeeming one for the tokens given up; the other terms are hidden and not sent.
 */
export function PerkForm({
  action,
  offeringId,
  perkId,
  initial,
  kinds,
  m,
}: {
  action: FormAction;
  offeringId: string;
  perkId?: string;
  initial: Record<string, string>;
  kinds: { value: Kind; label: string }[];
  m: Messages["perksStaff"]["form"];
}) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  const value = (name: string) => state.values?.[name] ?? initial[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  const [kind, setKind] = useState<Kind>((value("kind") as Kind) || "holding");
  const needsAddress = (state.values ? state.values.needsAddress : initial.needsAddress) === "true";
  return (
    <form ref={ref} {...formProps} className="space-y-4" noValidate data-testid={perkId ? "perk-edit-form" : "perk-new-form"}>
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="offeringId" value={offeringId} />
      {perkId ? (
        <>
          <input type="hidden" name="perkId" value={perkId} />
          <input type="hidden" name="kind" value={kind} />
          <p className="text-sm text-stone-700">
            {m.kind}: <span className="font-semibold">{kinds.find((option) => option.value === kind)?.label}</span>
            <span className="block text-xs text-stone-500">{m.kindFixed}</span>
          </p>
        </>
      ) : (
        // A change of kind shows the terms of that kind; the radio group stays a plain form field.
        <div onChange={(event) => setKind((event.target as HTMLInputElement).value as Kind)}>
          <RadioGroup name="kind" legend={m.kind} defaultValue={kind} error={error("kind")} options={kinds} />
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="titleJa" label={m.titleJa} defaultValue={value("titleJa")} error={error("titleJa")} />
        <TextField name="titleEn" label={m.titleEn} defaultValue={value("titleEn")} error={error("titleEn")} />
      </div>
      <TextArea name="descriptionJa" label={m.descriptionJa} defaultValue={value("descriptionJa")} error={error("descriptionJa")} rows={3} />
      <TextArea name="descriptionEn" label={m.descriptionEn} defaultValue={value("descriptionEn")} error={error("descriptionEn")} rows={3} />
      {kind === "holding" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="minUnits" label={m.minUnits} error={error("minUnits")} hint={m.minUnitsHint}>
            <NumberInput name="minUnits" defaultValue={value("minUnits")} error={error("minUnits")} />
          </Field>
          <Field name="recordDate" label={m.recordDate} error={error("recordDate")} hint={m.recordDateHint}>
            <input id="recordDate" name="recordDate" type="date" defaultValue={value("recordDate")} {...invalid("recordDate", error("recordDate"))} className={control} />
          </Field>
        </div>
      ) : (
        <Field name="costUnits" label={m.costUnits} error={error("costUnits")} hint={m.costUnitsHint}>
          <NumberInput name="costUnits" defaultValue={value("costUnits")} error={error("costUnits")} />
        </Field>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="stock" label={m.stock} error={error("stock")}>
          <NumberInput name="stock" defaultValue={value("stock")} error={error("stock")} />
        </Field>
        <TextField name="claimOpensAt" type="datetime-local" label={m.claimOpensAt} defaultValue={value("claimOpensAt")} error={error("claimOpensAt")} />
        <TextField name="claimClosesAt" type="datetime-local" label={m.claimClosesAt} defaultValue={value("claimClosesAt")} error={error("claimClosesAt")} />
      </div>
      <label className="flex min-h-11 cursor-pointer items-center gap-3 text-sm font-medium text-stone-800">
        <input type="checkbox" name="needsAddress" value="true" defaultChecked={needsAddress} className="size-5 accent-forest-700" />
        {m.needsAddress}
      </label>
      {error("needsAddress") ? (
        <p role="alert" className="text-sm text-red-700">
          {error("needsAddress")}
        </p>
      ) : null}
      <FileField name="photo" label={m.photo} error={error("photo")} hint={perkId ? `${m.photoHint} ${m.photoKeep}` : m.photoHint} />
      <SubmitButton pending={pending} label={perkId ? m.save : m.create} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}

const control =
  "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

function invalid(name: string, error: string | undefined) {
  return { "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${name}-error` : undefined };
}

function NumberInput({ name, defaultValue, error }: { name: string; defaultValue: string; error?: string }) {
  return <input id={name} name={name} type="text" inputMode="numeric" defaultValue={defaultValue} {...invalid(name, error)} className={control} />;
}
