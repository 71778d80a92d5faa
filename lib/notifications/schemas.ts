import { z } from "zod";

/** A checkbox: present ("on") when ticked, absent when not. */
export const emailPreferenceSchema = z.object({ emailUpdates: z.string().optional() }).transform((input) => ({ emailUpdates: input.emailUpdates === "on" }));
export const markReadSchema = z.object({});
