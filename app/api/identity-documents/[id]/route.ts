import { z } from "zod";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { identityDocumentForViewer } from "@/lib/onboarding/identity";
import { readUpload } from "@/lib/uploads/storage";

/** An identity document, for its owner and staff only; to anyone else it does not exist. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Unauthorized", { status: 401 });
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return new Response("Not found", { status: 404 });
  const document = await identityDocumentForViewer(id.data, { id: user.id, isStaff: hasRole(user.role, "staff") });
  if (!document) return new Response("Not found", { status: 404 });
  const bytes = await readUpload(env().uploadDir, document.storageKey);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": document.contentType,
      "content-disposition": "inline",
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
