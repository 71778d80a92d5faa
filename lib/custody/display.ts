import "server-only";
import QRCode from "qrcode";
import { env } from "@/lib/env";

/** What the owner sees of their wallet: the address as a QR code (SVG) and an explorer link. */
export async function walletPresentation(address: string) {
  const qrSvg = await QRCode.toString(address, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { qrSvg, explorerLink: `${env().explorerUrl.replace(/\/$/, "")}/address/${address}` };
}
