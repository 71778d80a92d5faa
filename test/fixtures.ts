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

/** A valid 1×1 PNG (it must decode: uploads are judged by decoding). */
export { PNG_1x1 } from "./images";

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
