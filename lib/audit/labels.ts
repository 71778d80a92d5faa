import type { MessageKey, Translate } from "@/lib/i18n/catalog";
import { AUDIT_ACTIONS } from "./actions";

/** The area of an action: the part before the dot, which the audit page filters by. */
export function auditArea(action: string): string {
  return action.split(".")[0] ?? action;
}

/** A translation, or null when the catalog has none (the translator then returns the key itself). */
function known(t: Translate, key: string): string | null {
  const text = t(key as MessageKey);
  return text === key ? null : text;
}

/** An action's name for people; an action no longer in the list (old log rows) shows as its code. */
export function auditActionLabel(t: Translate, action: string): string {
  return known(t, `auditActions.${action}`) ?? action;
}

export function auditAreaLabel(t: Translate, area: string): string {
  return known(t, `auditActions.areas.${area}`) ?? area;
}

const ORDER = new Map<string, number>(AUDIT_ACTIONS.map((action, index) => [action, index]));
const rank = (action: string) => ORDER.get(action) ?? Number.MAX_SAFE_INTEGER;

/** Actions grouped by area, areas and actions in the order of AUDIT_ACTIONS (unknown ones last, by code). */
export function groupAuditActions(actions: readonly string[]): { area: string; actions: string[] }[] {
  const sorted = [...new Set(actions)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const groups = new Map<string, string[]>();
  for (const action of sorted) groups.set(auditArea(action), [...(groups.get(auditArea(action)) ?? []), action]);
  return [...groups].map(([area, list]) => ({ area, actions: list }));
}
