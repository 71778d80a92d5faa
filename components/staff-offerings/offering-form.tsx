"use client";

import { BondFields } from "@/components/bonds/bond-fields";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

const NUMBERS = ["priceYen", "capUnits", "minUnitsPerOrder", "maxUnitsPerOrder", "yearlyCapYenPerInvestor"] as const;
const TEXTS = ["nameJa", "nameEn", "tokenSymbol"] as const;

export function OfferingForm({
  action,
  initial,
  offeringId,
  m,
  kinds,
  issuers,
  bond,
  residents,
}: {
  action: FormAction;
  initial: Record<string, string>;
  offeringId?: string;
  m: Messages["offeringAdmin"];
  kinds: { value: string; label: string }[];
  /** On creation: the issuers the staff member acts for, one of which the offering belongs to. */
  issuers?: { label: string; placeholder: string; options: { value: string; label: string }[] };
  /** The bond fields' messages (shown when the kind is municipal bond). */
  bond: Messages["bonds"]["form"];
  /** Cooling-off and residents' terms (lib/residents). */
  residents: Messages["residents"]["terms"];
}) {
  const { state, pending, formProps } = useActionForm(action);
  const value = (name: string) => state.values?.[name] ?? initial[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  return (
    <form {...formProps} className="space-y-4" noValidate>
      {offeringId ? <input type="hidden" name="offeringId" value={offeringId} /> : null}
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      {issuers ? <SelectField name="issuerId" label={issuers.label} placeholder={issuers.placeholder} defaultValue={value("issuerId")} error={error("issuerId")} options={issuers.options} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="slug" label={m.fields.slug} defaultValue={value("slug")} error={error("slug")} />
        <SelectField name="kind" label={m.fields.kind} defaultValue={value("kind")} error={error("kind")} options={kinds} />
        {TEXTS.map((name) => (
          <TextField key={name} name={name} label={m.fields[name]} defaultValue={value(name)} error={error(name)} />
        ))}
      </div>
      {(["descriptionJa", "descriptionEn"] as const).map((name) => (
        <div key={name}>
          <label htmlFor={name} className="block text-sm font-medium">
            {m.fields[name]}
          </label>
          <textarea
            id={name}
            name={name}
            rows={3}
            defaultValue={value(name)}
            aria-invalid={error(name) ? true : undefined}
            className="mt-1 block w-full rounded-lg border border-stone-300 p-2 text-base"
          />
          {error(name) ? (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {error(name)}
            </p>
          ) : null}
        </div>
      ))}
      <div className="grid gap-4 sm:grid-cols-2">
        {NUMBERS.map((name) => (
          <TextField key={name} name={name} label={m.fields[name]} inputMode="numeric" defaultValue={value(name)} error={error(name)} />
        ))}
        <TextField name="opensAt" type="datetime-local" label={m.fields.opensAt} defaultValue={value("opensAt")} error={error("opensAt")} />
        <TextField name="closesAt" type="datetime-local" label={m.fields.closesAt} defaultValue={value("closesAt")} error={error("closesAt")} />
      </div>
      <fieldset className="space-y-3" data-testid="resident-terms">
        <legend className="text-sm font-bold">{residents.heading}</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField name="coolingOffDays" label={residents.coolingOffDays} inputMode="numeric" defaultValue={value("coolingOffDays")} error={error("coolingOffDays")} />
          <TextField name="residentUnits" label={residents.residentUnits} inputMode="numeric" defaultValue={value("residentUnits")} error={error("residentUnits")} />
          <TextField name="residentsUntil" type="datetime-local" label={residents.residentsUntil} defaultValue={value("residentsUntil")} error={error("residentsUntil")} />
        </div>
        <p className="text-xs text-stone-500">{residents.hint}</p>
      </fieldset>
      <BondFields m={bond} kind={value("kind")} value={value} error={error} />
      <SubmitButton pending={pending} label={m.save} />
    </form>
  );
}

export function DisclosureForm({ action, offeringId, m }: { action: FormAction; offeringId: string; m: Messages["offeringAdmin"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const error = (name: string) => state.fieldErrors?.[name];
  return (
    <form {...formProps} className="space-y-3" noValidate>
      <input type="hidden" name="offeringId" value={offeringId} />
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField name="version" label={m.disclosureVersion} defaultValue={state.values?.version} error={error("version")} placeholder="2026-12-01" />
        <TextField name="titleJa" label={m.disclosureTitleJa} defaultValue={state.values?.titleJa} error={error("titleJa")} />
        <TextField name="titleEn" label={m.disclosureTitleEn} defaultValue={state.values?.titleEn} error={error("titleEn")} />
      </div>
      {(["bodyJa", "bodyEn"] as const).map((name) => (
        <div key={name}>
          <label htmlFor={name} className="block text-sm font-medium">
            {name === "bodyJa" ? m.disclosureBodyJa : m.disclosureBodyEn}
          </label>
          <textarea id={name} name={name} rows={4} defaultValue={state.values?.[name]} className="mt-1 block w-full rounded-lg border border-stone-300 p-2 text-base" />
          {error(name) ? (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {error(name)}
            </p>
          ) : null}
        </div>
      ))}
      <SubmitButton pending={pending} label={m.publish} />
    </form>
  );
}
