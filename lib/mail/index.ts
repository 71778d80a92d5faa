import "server-only";
import { desc } from "drizzle-orm";
import { createTransport } from "nodemailer";
import { getDb } from "@/db/client";
import { devMailbox } from "@/db/schema";
import { env } from "@/lib/env";

export type OutgoingMail = { to: string; subject: string; text: string; link?: string };

/**
 * Sends through EMAIL_SERVER when it is set; in demo mode without it, the mail goes to the
 * dev mailbox page and the console instead. Live mode always has EMAIL_SERVER (lib/env.ts).
 */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const settings = env();
  if (settings.emailServer) {
    await createTransport(settings.emailServer).sendMail({
      from: settings.emailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
    });
    return;
  }
  await getDb().insert(devMailbox).values(mail);
  console.log(`\n[dev mailbox] to ${mail.to}: ${mail.subject}\n${mail.link ?? mail.text}\n`);
}

export async function listDevMailbox(limit = 50) {
  return getDb().select().from(devMailbox).orderBy(desc(devMailbox.sentAt)).limit(limit);
}
