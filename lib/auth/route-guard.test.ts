import { beforeEach, describe, expect, it, vi } from "vitest";
import { as } from "@/test/session-mock";
import { GET as identityDocument } from "@/app/api/identity-documents/[id]/route";
import type { SessionUser } from "./roles";
import { withRole } from "./route-guard";

const investor: SessionUser = { id: "u1", email: "a@example.jp", name: null, role: "investor" };
const staff: SessionUser = { id: "u2", email: "s@example.jp", name: null, role: "staff" };
const admin: SessionUser = { id: "u3", email: "x@example.jp", name: null, role: "admin" };
const request = () => new Request("http://localhost/x");
const context = { params: Promise.resolve({ id: "p" }) };

beforeEach(() => {
  as.user = null;
});

describe("withRole, the access check of route handlers", () => {
  it("answers 401 to an anonymous caller and 403 to one without the role, in plain text, before the handler", async () => {
    const handler = vi.fn(async () => new Response("ok"));
    const route = withRole("staff", handler);
    const anonymous = await route(request(), context);
    expect([anonymous.status, await anonymous.text()]).toEqual([401, "Unauthorized"]);
    as.user = investor;
    const refused = await route(request(), context);
    expect([refused.status, await refused.text()]).toEqual([403, "Forbidden"]);
    expect(handler).not.toHaveBeenCalled();
  });

  it("hands the user and the route's context to the handler", async () => {
    const route = withRole("staff", async (_request, user, { params }: { params: Promise<{ id: string }> }) => new Response(`${user.id}:${(await params).id}`));
    for (const user of [staff, admin]) {
      as.user = user;
      expect(await (await route(request(), context)).text()).toBe(`${user.id}:p`);
    }
  });

  it("lets every signed-in user through with the lowest role, and everyone through when public", async () => {
    const signedIn = withRole("investor", async (_request, user) => new Response(user.role));
    const open = withRole("public", async (_request, user) => new Response(user?.id ?? "anonymous"));
    expect((await signedIn(request())).status).toBe(401);
    expect(await (await open(request())).text()).toBe("anonymous");
    as.user = investor;
    expect(await (await signedIn(request())).text()).toBe("investor");
    expect(await (await open(request())).text()).toBe("u1");
  });

  it("keeps an identity document from an anonymous caller (401)", async () => {
    const answer = await identityDocument(new Request("http://localhost/api/identity-documents/x"), { params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }) });
    expect(answer.status).toBe(401);
    as.user = investor;
    expect((await identityDocument(new Request("http://localhost/api/identity-documents/x"), { params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }) })).status).toBe(404);
  });
});
