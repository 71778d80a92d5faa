import type * as Mail from "@/lib/mail";

/**
 * The mail module with sends that fail on demand: `failing` maps an address to how many of its next
 * sends throw (an SMTP 451); every other send goes through the real one (the dev mailbox). Use in
 * a test file as
 * `vi.mock("@/lib/mail", async (original) => (await import("@/test/failing-mail")).withFailingSends(await original(), failing))`.
 */
export function withFailingSends(real: typeof Mail, failing: Map<string, number>): typeof Mail {
  return {
    ...real,
    sendMail: async (mail) => {
      const left = failing.get(mail.to) ?? 0;
      if (left > 0) {
        failing.set(mail.to, left - 1);
        throw new Error("SMTP 451 try again later");
      }
      await real.sendMail(mail);
    },
  };
}
