"use client";

import { useState, type FormEvent } from "react";
import { FormMessage, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";
import { FIGURE_KINDS } from "@/lib/projects/figures";
import { FileField, TextArea } from "./form-parts";
import { useResetOnOk } from "./use-reset-on-ok";

/** What one save may carry in photos: the server refuses larger request bodies (next.config serverActions.bodySizeLimit). */
const MAX_PHOTO_BYTES_PER_SAVE = 5 * 1024 * 1024;

export function UpdateForm({
  action,
  projectId,
  initial,
  images,
  published,
  m,
}: {
  action: FormAction;
  projectId: string;
  initial: Record<string, string>;
  images: { id: string; alt: string }[];
  published: boolean;
  m: Messages["projectsAdmin"];
}) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  const [tooLarge, setTooLarge] = useState(false);
  const value = (name: string) => state.values?.[name] ?? initial[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  const u = m.updates;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const input = event.currentTarget.elements.namedItem("images") as HTMLInputElement | null;
    const total = [...(input?.files ?? [])].reduce((sum, file) => sum + file.size, 0);
    setTooLarge(total > MAX_PHOTO_BYTES_PER_SAVE);
    if (total > MAX_PHOTO_BYTES_PER_SAVE) return event.preventDefault();
    formProps.onSubmit(event);
  };
  return (
    <form ref={ref} {...formProps} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage status={state.status} message={state.message} />
      {published ? <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">{u.editPublishedNote}</p> : null}
      <input type="hidden" name="projectId" value={projectId} />
      {initial.updateId ? <input type="hidden" name="updateId" value={initial.updateId} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="titleJa" label={u.titleJa} defaultValue={value("titleJa")} error={error("titleJa")} />
        <TextField name="titleEn" label={u.titleEn} defaultValue={value("titleEn")} error={error("titleEn")} />
      </div>
      <TextArea name="bodyJa" label={u.bodyJa} defaultValue={value("bodyJa")} error={error("bodyJa")} rows={8} hint={m.fields.markdownHint} />
      <TextArea name="bodyEn" label={u.bodyEn} defaultValue={value("bodyEn")} error={error("bodyEn")} rows={8} />
      <fieldset>
        <legend className="text-sm font-medium text-stone-800">{u.figures}</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {FIGURE_KINDS.map((kind) => (
            <TextField key={kind} name={`figure_${kind}`} label={m.figures[kind]} defaultValue={value(`figure_${kind}`)} error={error(`figure_${kind}`)} inputMode="text" />
          ))}
        </div>
      </fieldset>
      {images.length > 0 ? (
        <fieldset>
          <legend className="text-sm font-medium text-stone-800">{u.currentImages}</legend>
          <ul className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
            {images.map((image) => (
              <li key={image.id} className="space-y-1">
                {/* eslint-disable-next-line @next/next/no-img-element -- staff preview of our own image route */}
                <img src={`/api/images/${image.id}`} alt={image.alt} className="aspect-[4/3] w-full rounded-lg border border-stone-200 object-cover" />
                <label className="flex min-h-11 items-center gap-2 text-xs">
                  <input type="checkbox" name="removeImageIds" value={image.id} className="size-4 accent-red-700" />
                  {u.removeImage}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <FileField name="images" label={u.images} error={tooLarge ? m.errors.photosPerSave : error("images")} hint={m.fields.imageHint} multiple />
      <SubmitButton pending={pending} label={initial.updateId ? u.saveChanges : u.saveDraft} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}
