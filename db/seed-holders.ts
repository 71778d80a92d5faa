import { eq, inArray } from "drizzle-orm";
import type { IsoDate } from "@/lib/bonds/calendar";
import { tokyoDate } from "@/lib/projects/dates";
import type { Tx } from "./client";
import { offerings, perks, projects, projectUpdates, users, voteOptions, votes } from "./schema";
import { plusDays, seedPaidOrder, tokyoAt } from "./seed-bond-investors";

// The holders' village of the demo: Umibe Harbour Token sold for a few days to some of the bond's buyers, a perk of each kind and a running vote.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Who bought harbour tokens: days before today (Tokyo) and the time the order was placed; the rest of the bond's buyers hold none. */
export const DEMO_HARBOUR_HOLDINGS: { email: string; units: number; placed: [number, string] }[] = [
  { email: "kaito.hamada@example.jp", units: 15, placed: [4, "11:20"] },
  { email: "misaki.okabayashi@example.jp", units: 8, placed: [3, "08:45"] },
  { email: "shota.yamasaki@example.jp", units: 4, placed: [3, "19:30"] },
  { email: "yoko.nakamura@example.jp", units: 6, placed: [2, "12:10"] },
  { email: "sakura.tamura@example.jp", units: 3, placed: [2, "16:40"] },
];

/** Holding perk: at least this many tokens at the record date. */
const DEMO_HOLDING_PERK_MIN_UNITS = 5;
/** Redeeming perk: tokens given up per claim. */
const DEMO_REDEEMING_PERK_COST_UNITS = 3;
const DEMO_ROOF_PROJECT_SLUG = "morning-market-roof";

/** The harbour sale's dates: terms approved five days ago, open since four, and the perks' and vote's record date, yesterday (Tokyo). */
export function harbourSaleDates(now: Date): { createdAt: Date; approvedAt: Date; opensAt: Date; recordDate: IsoDate } {
  const today = tokyoDate(now);
  return {
    createdAt: tokyoAt(plusDays(today, -6), "15:00"),
    approvedAt: tokyoAt(plusDays(today, -5), "10:30"),
    opensAt: tokyoAt(plusDays(today, -4), "09:00"),
    recordDate: plusDays(today, -1),
  };
}

type Input = { offeringId: string; disclosureId: string; harbourProjectId: string; staffId: string; now: Date };

/**
 * The harbour token's paid orders (allocated by the dev chain at their dates: scripts/lib/demo-history.ts),
 * a second harbour project, and staff's perks and vote on the token whose record date is yesterday
 * (the dev chain then freezes the holders' snapshot).
 */
export async function seedHoldersVillage(tx: Tx, input: Input): Promise<void> {
  const { offeringId, now } = input;
  const today = tokyoDate(now);
  const buyers = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        DEMO_HARBOUR_HOLDINGS.map((holding) => holding.email),
      ),
    );
  // Oldest first: the dev chain allocates by order sequence, and block times never go back.
  const byTime = [...DEMO_HARBOUR_HOLDINGS].sort((a, b) => tokyoAt(plusDays(today, -a.placed[0]), a.placed[1]).getTime() - tokyoAt(plusDays(today, -b.placed[0]), b.placed[1]).getTime());
  for (const holding of byTime) {
    const buyer = buyers.find((row) => row.email === holding.email);
    if (!buyer) throw new Error(`demo buyer ${holding.email} is not seeded`);
    await seedPaidOrder(tx, {
      userId: buyer.id,
      offeringId,
      units: holding.units,
      priceYen: 2_000,
      disclosureId: input.disclosureId,
      disclosureVersion: "2026-11-15",
      created: tokyoAt(plusDays(today, -holding.placed[0]), holding.placed[1]),
    });
  }
  await tx
    .update(offerings)
    .set({ soldUnits: DEMO_HARBOUR_HOLDINGS.reduce((sum, holding) => sum + holding.units, 0) })
    .where(eq(offerings.id, offeringId));

  const [roof] = await tx
    .insert(projects)
    .values({
      slug: DEMO_ROOF_PROJECT_SLUG,
      offeringId,
      titleJa: "朝市の屋根",
      titleEn: "A roof for the morning market",
      summaryJa: "雨の日も朝市が開けるよう、漁港の広場に町の木材で屋根をかけます。",
      summaryEn: "Roof the harbour square with local timber so that the morning market can open in the rain.",
      bodyJa: "毎週土曜の朝市は、雨が降ると半分の店が出られません。広場の北側に幅30メートルの屋根をかけ、荷さばきにも使えるようにします。",
      bodyEn: "When it rains, half the stalls of the Saturday morning market stay away. A 30-metre roof on the north side of the square shelters them and serves for sorting the catch.",
      budgetYen: 1_800_000,
      status: "planned",
      publishedAt: now,
    })
    .returning();
  await tx.insert(projectUpdates).values({
    projectId: roof!.id,
    titleJa: "屋根の設計を打ち合わせました",
    titleEn: "Roof design discussed",
    bodyJa: "朝市の出店者と漁協と一緒に、屋根の高さと柱の位置を決めました。",
    bodyEn: "With the market's stallholders and the fishing cooperative we settled the roof's height and where its posts stand.",
    publishedAt: new Date(now.getTime() - 6 * DAY_MS),
  });

  const { recordDate } = harbourSaleDates(now);
  await tx.insert(perks).values([
    {
      offeringId,
      kind: "holding",
      titleJa: "朝市の干物セット",
      titleEn: "Dried fish from the morning market",
      descriptionJa: `朝市で水揚げされた魚を、町の干物店が一枚ずつ手で干しました。アジ・カマス・ウルメイワシの詰め合わせ（約1kg）をお届けします。基準日に${DEMO_HOLDING_PERK_MIN_UNITS}トークン以上をお持ちの方が対象です。`,
      descriptionEn: `Fish landed at the morning market, split and dried by hand at the town's fish shop: a box of horse mackerel, barracuda and round herring (about 1 kg). For holders of ${DEMO_HOLDING_PERK_MIN_UNITS} tokens or more at the record date.`,
      minUnits: DEMO_HOLDING_PERK_MIN_UNITS,
      recordDate,
      stock: 30,
      claimOpensAt: new Date(now.getTime() - HOUR_MS),
      claimClosesAt: new Date(now.getTime() + 30 * DAY_MS),
      needsAddress: true,
      createdBy: input.staffId,
      createdAt: new Date(now.getTime() - 2 * HOUR_MS),
    },
    {
      offeringId,
      kind: "redeeming",
      titleJa: "体験漁業 朝の漁船に乗る",
      titleEn: "A morning on a fishing boat",
      descriptionJa: `漁師の船に乗って、夜明けの定置網漁を見学します（約3時間、春から秋の土曜日）。${DEMO_REDEEMING_PERK_COST_UNITS}トークンと引き換えです。日程は町の担当者からお電話でご相談します。`,
      descriptionEn: `Go out at dawn on a fisherman's boat to haul the set nets (about three hours, Saturdays from spring to autumn), for ${DEMO_REDEEMING_PERK_COST_UNITS} tokens. The town's staff will call you to arrange the day.`,
      costUnits: DEMO_REDEEMING_PERK_COST_UNITS,
      stock: 10,
      claimOpensAt: new Date(now.getTime() - HOUR_MS),
      claimClosesAt: new Date(now.getTime() + 90 * DAY_MS),
      needsAddress: false,
      createdBy: input.staffId,
      createdAt: new Date(now.getTime() - 2 * HOUR_MS),
    },
  ]);

  const [vote] = await tx
    .insert(votes)
    .values({
      offeringId,
      questionJa: "次に取り組む事業はどれがよいですか",
      questionEn: "Which project should the town fund next?",
      descriptionJa: "岸壁の補修と朝市の屋根、どちらを先に進めるか、トークンをお持ちの皆さんの意見をお聞きします。基準日に保有していたトークン数に応じて票を数えます。",
      descriptionEn: "Mend the harbour wall first, or roof the morning market? The town asks its token holders. Votes are weighted by the tokens held at the record date.",
      recordDate,
      // Two weeks on, at the end of the town office's day.
      endsAt: tokyoAt(plusDays(tokyoDate(now), 14), "17:00"),
      counting: "by_units",
      createdBy: input.staffId,
      createdAt: new Date(now.getTime() - 2 * HOUR_MS),
    })
    .returning({ id: votes.id });
  await tx.insert(voteOptions).values([
    { voteId: vote!.id, position: 1, labelJa: "漁港の岸壁補修", labelEn: "Mending the harbour wall", projectId: input.harbourProjectId },
    { voteId: vote!.id, position: 2, labelJa: "朝市の屋根", labelEn: "A roof for the morning market", projectId: roof!.id },
  ]);
}
