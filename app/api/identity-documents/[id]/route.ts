import { z } from "zod";
import { hasRole } from "@/lib/auth/roles";
import { withRole } from "@/lib/auth/route-guard";
import { identityDocumentForViewer } from "@/lib/onboarding/identity";
import { uploadStorage } from "@/lib/uploads/storage";

/** An identity document, for its owner and staff only; to anyone else it does not exist. */
export const GET = withRole("investor", async (_request, user, { params }: { params: Promise<{ id: string }> }) => {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return new Response("Not found", { status: 404 });
  const document = await identityDocumentForViewer(id.data, { id: user.id, isStaff: hasRole(user.role, "staff") });
  if (!document) return new Response("Not found", { status: 404 });
  // A row whose file cannot be read (the demo bondholders' documents name none) is logged and answered like a missing one, not a 500.
  const bytes = await uploadStorage()
    .get(document.storageKey)
    .catch((error: unknown) => void console.error("[identity-documents]", error));
  if (!bytes) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": document.contentType,
      "content-disposition": "inline",
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
});
