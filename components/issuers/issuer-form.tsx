"use client";

import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { FileField, TextArea } from "@/components/staff/form-parts";
import { useResetOnOk } from "@/components/staff/use-reset-on-ok";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

/** Creates or edits an issuer (admins only); the logo is checked by content on the server. */
export function IssuerForm({
  action,
  initial,
  kinds,
  m,
  residence,
}: {
  action: FormAction;
  initial: Record<string, string>;
  kinds: { value: string; label: string }[];
  m: Messages["issuers"]["admin"];
  /** The municipality whose residents come first (lib/residents). */
  residence: { m: Messages["residents"]["issuer"]; prefectures: { value: string; label: string }[] };
}) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  const value = (name: string) => state.values?.[name] ?? initial[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  const f = m.fields;
  return (
    <form ref={ref} {...formProps} className="space-y-4" noValidate>
      <FormMessage status={state.status} message={state.message} />
      {initial.issuerId ? <input type="hidden" name="issuerId" value={initial.issuerId} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <TextField name="slug" label={f.slug} defaultValue={value("slug")} error={error("slug")} placeholder="nishimori" />
          <p className="mt-1 text-xs text-stone-500">{f.slugHint}</p>
        </div>
        <SelectField name="kind" label={f.kind} defaultValue={value("kind")} error={error("kind")} options={kinds} placeholder={f.chooseKind} />
        <TextField name="nameJa" label={f.nameJa} defaultValue={value("nameJa")} error={error("nameJa")} />
        <TextField name="nameEn" label={f.nameEn} defaultValue={value("nameEn")} error={error("nameEn")} />
        <TextField name="prefectureJa" label={f.prefectureJa} defaultValue={value("prefectureJa")} error={error("prefectureJa")} />
        <TextField name="prefectureEn" label={f.prefectureEn} defaultValue={value("prefectureEn")} error={error("prefectureEn")} />
        <TextField name="population" label={f.population} defaultValue={value("population")} error={error("population")} inputMode="numeric" />
      </div>
      <div>
        <TextField name="stablecoinPayee" label={f.stablecoinPayee} defaultValue={value("stablecoinPayee")} error={error("stablecoinPayee")} placeholder="0x…" />
        <p className="mt-1 text-xs text-stone-500">{f.stablecoinPayeeHint}</p>
      </div>
      <fieldset className="space-y-2" data-testid="issuer-residence">
        <legend className="text-sm font-bold">{residence.m.heading}</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            name="residentPrefecture"
            label={residence.m.prefecture}
            defaultValue={value("residentPrefecture")}
            error={error("residentPrefecture")}
            options={residence.prefectures}
            placeholder={residence.m.choosePrefecture}
          />
          <TextField name="residentCity" label={residence.m.city} defaultValue={value("residentCity")} error={error("residentCity")} />
        </div>
        <p className="text-xs text-stone-500">{residence.m.hint}</p>
      </fieldset>
      <TextArea name="descriptionJa" label={f.descriptionJa} defaultValue={value("descriptionJa")} error={error("descriptionJa")} rows={3} />
      <TextArea name="descriptionEn" label={f.descriptionEn} defaultValue={value("descriptionEn")} error={error("descriptionEn")} rows={3} />
      <FileField name="logo" label={f.logo} error={error("logo")} hint={f.logoHint} />
      <SubmitButton pending={pending} label={m.save} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}
