import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { Role, SessionUser } from "@/lib/auth/roles";

let counter = 0;

export async function makeUser(role: Role = "investor"): Promise<SessionUser> {
  counter += 1;
  const email = `${role}-${counter}-${Date.now()}@example.jp`;
  const [row] = await getDb().insert(users).values({ email, role }).returning();
  return { id: row!.id, email, name: null, role };
}

/** A tiny valid PNG (1×1), built byte by byte. */
export const PNG_1x1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" + "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
  "hex",
);

export const VALID_PROFILE = {
  familyNameKanji: "山田",
  givenNameKanji: "花子",
  familyNameKana: "ヤマダ",
  givenNameKana: "ハナコ",
  birthDate: "1990-04-01",
  postalCode: "707-0503",
  prefecture: "33",
  city: "英田郡西森村",
  street: "影石33-1",
  phone: "0868-79-2111",
  countryOfResidence: "JP",
};
