import { z } from "zod";
import { withRole } from "@/lib/auth/route-guard";
import { imageForViewer } from "@/lib/projects/images";
import { uploadStorage } from "@/lib/uploads/storage";

/** An uploaded image by id: public once what it belongs to is published; receipts and drafts for staff only. */
export const GET = withRole("public", async (_request, user, { params }: { params: Promise<{ id: string }> }) => {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return new Response("Not found", { status: 404 });
  const found = await imageForViewer(id.data, user);
  if (!found) return new Response("Not found", { status: 404 });
  const bytes = await uploadStorage().get(found.image.storageKey);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": found.image.contentType,
      "content-length": String(bytes.length),
      "content-disposition": "inline",
      // An image's bytes never change; whether it is public can, so shared caches keep it only briefly.
      "cache-control": found.isPublic ? "public, max-age=300" : "private, no-store",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
});
