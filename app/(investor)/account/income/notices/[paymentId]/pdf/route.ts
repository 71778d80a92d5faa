import { withRole } from "@/lib/auth/route-guard";
import { isLocale } from "@/lib/i18n/catalog";
import { downloadHeaders } from "@/lib/statements/format";
import { noticeFor } from "@/lib/statements/notice";
import { noticePdf } from "@/lib/statements/notice-pdf";

export const dynamic = "force-dynamic";

/** The payment notice (支払通知書) of one of the signed-in investor's payments, in Japanese (`?lang=en`: English); anyone else's is not found. */
export const GET = withRole("investor", async (request, user, { params }: { params: Promise<{ paymentId: string }> }) => {
  const lang = new URL(request.url).searchParams.get("lang");
  const locale = isLocale(lang) ? lang : "ja";
  const notice = await noticeFor(user.id, (await params).paymentId, locale);
  if (!notice) return new Response("Not found", { status: 404 });
  const pdf = await noticePdf(notice, locale);
  const name = `payment-notice-${notice.offering.slug}-${notice.paymentNumber}-${notice.paymentDate}.pdf`;
  return new Response(new Uint8Array(pdf), { headers: downloadHeaders("application/pdf", name) });
});
