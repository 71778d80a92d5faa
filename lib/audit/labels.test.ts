import { describe, expect, it } from "vitest";
import { LOCALES, lookup, messagesFor, translator } from "@/lib/i18n/catalog";
import { AUDIT_ACTIONS } from "./actions";
import { auditActionLabel, auditArea, auditAreaLabel, groupAuditActions } from "./labels";

const areas = [...new Set(AUDIT_ACTIONS.map(auditArea))];

describe("audit action labels", () => {
  it("name every action and every area in Japanese and English", () => {
    for (const locale of LOCALES) {
      const messages = messagesFor(locale);
      for (const action of AUDIT_ACTIONS) expect(typeof lookup(messages, `auditActions.${action}`), `${locale}: ${action}`).toBe("string");
      for (const area of areas) expect(typeof lookup(messages, `auditActions.areas.${area}`), `${locale}: area ${area}`).toBe("string");
    }
  });

  it("name nothing that is not an action or an area", () => {
    const { areas: areaNames, everyInArea: _, ...byArea } = messagesFor("ja").auditActions;
    expect(Object.keys(areaNames).sort()).toEqual([...areas].sort());
    const labelled = Object.entries(byArea).flatMap(([area, names]) => Object.keys(names).map((name) => `${area}.${name}`));
    expect(labelled.sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it("give each action of an area its own label", () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const area of areas) {
        const labels = AUDIT_ACTIONS.filter((action) => auditArea(action) === area).map((action) => auditActionLabel(t, action));
        expect(new Set(labels).size, `${locale}: ${area}`).toBe(labels.length);
      }
    }
  });

  it("show an unknown action or area as its code", () => {
    const t = translator("ja");
    expect(auditActionLabel(t, "order.refunded")).toBe("返金済み（注文）");
    expect(auditActionLabel(translator("en"), "order.refunded")).toBe("Order refunded");
    expect(auditActionLabel(t, "order.gone_away")).toBe("order.gone_away");
    expect(auditActionLabel(t, "order")).toBe("order");
    expect(auditAreaLabel(t, "order")).toBe("注文");
    expect(auditAreaLabel(t, "nowhere")).toBe("nowhere");
  });

  it("group actions by area in the order of the list, unknown ones last", () => {
    expect(groupAuditActions(["payment.refund_sent", "zzz.old", "order.refunded", "account.email_changed", "order.disputed", "order.refunded"])).toEqual([
      { area: "account", actions: ["account.email_changed"] },
      { area: "order", actions: ["order.refunded", "order.disputed"] },
      { area: "payment", actions: ["payment.refund_sent"] },
      { area: "zzz", actions: ["zzz.old"] },
    ]);
  });
});
