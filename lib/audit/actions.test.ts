import { describe, expect, it } from "vitest";
import { auditQuery } from "@/lib/register/audit-params";
import { AUDIT_ACTIONS } from "./actions";

describe("audit actions", () => {
  it("are unique, each an area and a name", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it("can each be filtered on the audit page, alone or by area", () => {
    for (const action of AUDIT_ACTIONS) {
      expect(auditQuery({ action }).filter.action).toBe(action);
      const area = `${action.split(".")[0]}.`;
      expect(auditQuery({ action: area }).filter.action).toBe(area);
    }
  });
});
