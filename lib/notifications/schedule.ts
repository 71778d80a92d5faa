import "server-only";
import { after } from "next/server";
import { deliverPendingEmails } from "./delivery";

/**
 * Sends pending notification mail after the response has gone out, so publishing does not wait
 * on SMTP. Rows a crash leaves pending are sent by the next call.
 */
export function deliverEmailsSoon(): void {
  after(async () => {
    try {
      await deliverPendingEmails();
    } catch (error) {
      console.error("[notifications] delivery failed", error);
    }
  });
}
