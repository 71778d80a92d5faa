import { expect, it } from "vitest";
import { linkSchema } from "./schemas";

it("gives back the message the wallet signed when a form post turned its line breaks into CRLF", () => {
  const signed = "localhost wants you to sign in with your Ethereum account:\n0xa0Ee7A142d267C1f36714E4a8F75612F20a79720\n\nURI: http://localhost\nChain ID: 31337";
  const posted = signed.replace(/\n/g, "\r\n");
  const parsed = linkSchema.parse({ message: posted, signature: `0x${"ab".repeat(65)}` });
  expect(parsed.message).toBe(signed);
});
