import { count } from "drizzle-orm";
import type { MasterKeys } from "@/lib/custody/envelope";
import { env } from "@/lib/env";
import type { Db } from "./client";
import { seedDemoBond } from "./seed-bond";
import { DEMO_UMIBE_RESIDENCE } from "./seed-bond-investors";
import { harbourSaleDates, seedHoldersVillage } from "./seed-holders";
import { seedNishimoriProjects } from "./seed-nishimori";
import { seedOwnWallets } from "./seed-own-wallets";
import { issuerStaff, legalDocuments, offerings, projects, projectUpdates, users, villages } from "./schema";

export const DEMO_STAFF_EMAIL = "staff@village.example";
/** A second staff member of the first issuer: approves what the first one writes (four eyes). */
export const DEMO_SECOND_STAFF_EMAIL = "staff2@village.example";
/** Staff of the second issuer only. */
export const DEMO_OTHER_ISSUER_STAFF_EMAIL = "staff@umibe.example";
/** A second staff member of the second issuer: approves what the first one prepares (coupon runs). */
export const DEMO_OTHER_ISSUER_SECOND_STAFF_EMAIL = "staff2@umibe.example";
const DEMO_ADMIN_EMAIL = "admin@village.example";
export const DEMO_OFFERING_SLUG = "nishimori-forest-token";
export const DEMO_OTHER_OFFERING_SLUG = "umibe-harbour-token";
export { DEMO_BOND_SLUG } from "./seed-bond";
export { DEMO_BOND_INVESTORS } from "./seed-bond-investors";
/** The village's municipality for residents first, as the demo profiles write it (test/fixtures.ts VALID_PROFILE, the e2e investors). */
const DEMO_NISHIMORI_RESIDENCE = { prefecture: "33", city: "英田郡西森村" } as const;
export { DEMO_HARBOUR_HOLDINGS } from "./seed-holders";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Demo data for the embedded stack: two issuers (a village and a town), each with an open offering
 * whose terms are approved, projects with updates, and two staff of each (one approves what the
 * other writes); the town also has a sold-out 5-year bond whose first coupon date has passed
 * (db/seed-bond.ts), and its harbour token has sold for a few days to some of the bond's buyers, with
 * a perk of each kind and a running vote (db/seed-holders.ts). The dev chain deploys the tokens.
 * Wallets are sealed with `masterKeys`.
 */
export async function seedIfEmpty(db: Db, now = new Date(), masterKeys: MasterKeys = env().custodyMasterKeys): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(villages);
  if (existing && existing.n > 0) return false;

  await db.transaction(async (tx) => {
    const [village] = await tx
      .insert(villages)
      .values({
        slug: "nishimori",
        nameJa: "西森村",
        nameEn: "Nishimori Village",
        prefectureJa: "岡山県",
        prefectureEn: "Okayama",
        // Residents first (lib/residents): investors whose verified address is in this village.
        residentPrefecture: DEMO_NISHIMORI_RESIDENCE.prefecture,
        residentCity: DEMO_NISHIMORI_RESIDENCE.city,
        descriptionJa: "村の面積の95%を森林が占める、人口約1,400人の山あいの村です。百年の森構想のもと、間伐と木材の地産地消で森と暮らしを次の世代につなぎます。",
        descriptionEn:
          "A mountain village of about 1,400 people, 95% of it forest. Under its hundred-year forest plan it thins, mills and builds with its own timber to pass the forest and its livelihoods to the next generation.",
        population: 1400,
      })
      .returning();

    const [offering] = await tx
      .insert(offerings)
      .values({
        villageId: village!.id,
        slug: DEMO_OFFERING_SLUG,
        kind: "village_token",
        nameJa: "西森村 森のトークン 第1回",
        nameEn: "Nishimori Forest Token, Series 1",
        descriptionJa: "調達した資金は森林整備、木造校舎の改修、森の遊歩道づくりに充てられます。1トークン=1口=1,000円。",
        descriptionEn: "Proceeds fund forest thinning, the renovation of the wooden school and a forest trail. One token is one unit at ¥1,000.",
        tokenSymbol: "NMT",
        priceYen: 1_000,
        capUnits: 10_000,
        minUnitsPerOrder: 1,
        maxUnitsPerOrder: 500,
        yearlyCapYenPerInvestor: 500_000,
        konbiniEnabled: true,
        bankTransferEnabled: true,
        opensAt: new Date(now.getTime() - 7 * DAY_MS),
        closesAt: new Date(now.getTime() + 60 * DAY_MS),
        status: "open",
        approvedRevision: 1,
        approvedAt: now,
      })
      .returning();

    await tx.insert(legalDocuments).values([
      {
        kind: "risk_disclosure",
        version: "2026-11-01",
        titleJa: "リスクに関する説明",
        titleEn: "Risk disclosure",
        bodyJa: "トークンの価値は保証されず、元本を割り込むことがあります。換金できる市場はありません。",
        bodyEn: "The token's value is not guaranteed and you may lose what you paid. There is no market to sell it on.",
      },
      {
        kind: "terms",
        version: "2026-11-01",
        titleJa: "利用規約",
        titleEn: "Terms of use",
        bodyJa: "本ポータルは村がトークンを発行・管理するためのものです。",
        bodyEn: "This portal is where the village issues and administers its tokens.",
      },
      {
        kind: "pre_contract",
        version: "2026-11-01",
        titleJa: "契約締結前交付書面",
        titleEn: "Pre-contract disclosure",
        bodyJa: "発行者、資金使途、発行条件、リスクを記載した書面です。",
        bodyEn: "The issuer, use of proceeds, terms of issue and risks.",
      },
    ]);

    await seedNishimoriProjects(tx, offering!.id, now);

    const [town] = await tx
      .insert(villages)
      .values({
        slug: "umibe",
        kind: "municipality",
        nameJa: "海辺町",
        nameEn: "Umibe Town",
        prefectureJa: "高知県",
        prefectureEn: "Kochi",
        residentPrefecture: DEMO_UMIBE_RESIDENCE.prefecture,
        residentCity: DEMO_UMIBE_RESIDENCE.city,
        descriptionJa: "太平洋に面した人口約3,200人の漁業の町です。古い漁港を直し、朝市と体験漁業で若い世代が戻れる町を目指します。",
        descriptionEn: "A fishing town of about 3,200 people on the Pacific. It is mending its old harbour and building a morning market and fishing trips so that the young can come back.",
        population: 3200,
      })
      .returning();
    const harbourDates = harbourSaleDates(now);
    const [harbourOffering] = await tx
      .insert(offerings)
      .values({
        villageId: town!.id,
        slug: DEMO_OTHER_OFFERING_SLUG,
        kind: "village_token",
        nameJa: "海辺町 漁港再生トークン",
        nameEn: "Umibe Harbour Token",
        descriptionJa: "調達した資金は漁港の岸壁補修と朝市の屋根づくりに充てられます。1トークン=1口=2,000円。",
        descriptionEn: "Proceeds mend the harbour wall and roof the morning market. One token is one unit at ¥2,000.",
        tokenSymbol: "UMB",
        priceYen: 2_000,
        capUnits: 5_000,
        minUnitsPerOrder: 1,
        maxUnitsPerOrder: 200,
        // The town's cap, as for its bond: its buyers' harbour orders count with their bond orders of the same year.
        yearlyCapYenPerInvestor: 1_000_000,
        opensAt: harbourDates.opensAt,
        closesAt: new Date(now.getTime() + 45 * DAY_MS),
        status: "open",
        approvedRevision: 1,
        approvedAt: harbourDates.approvedAt,
        createdAt: harbourDates.createdAt,
      })
      .returning();
    const [harbourDisclosure] = await tx
      .insert(legalDocuments)
      .values({
        kind: "pre_contract",
        offeringId: harbourOffering!.id,
        publishedAt: harbourDates.approvedAt,
        version: "2026-11-15",
        titleJa: "契約締結前交付書面（海辺町 漁港再生トークン）",
        titleEn: "Pre-contract disclosure (Umibe Harbour Token)",
        bodyJa: "発行者は海辺町です。資金使途は漁港の岸壁補修と朝市の屋根の整備です。トークンの価値は保証されません。",
        bodyEn: "The issuer is Umibe Town. Proceeds mend the harbour wall and roof the morning market. The token's value is not guaranteed.",
      })
      .returning({ id: legalDocuments.id });
    const [harbour] = await tx
      .insert(projects)
      .values({
        slug: "harbour-wall",
        offeringId: harbourOffering!.id,
        titleJa: "漁港の岸壁補修",
        titleEn: "Mending the harbour wall",
        summaryJa: "台風で傷んだ岸壁80メートルを補修し、漁船が安全に着岸できるようにします。",
        summaryEn: "Repair 80 metres of typhoon-damaged harbour wall so that boats can berth safely again.",
        bodyJa: "昨年の台風で崩れた岸壁を補修します。工事は漁の少ない冬に行います。",
        bodyEn: "The wall that last year's typhoon broke is repaired in winter, when few boats go out.",
        budgetYen: 2_500_000,
        status: "planned",
        publishedAt: now,
      })
      .returning();
    await tx.insert(projectUpdates).values({
      projectId: harbour!.id,
      titleJa: "工事の入札を行いました",
      titleEn: "Works tendered",
      bodyJa: "町内の2社から見積もりを受け、工事の発注先を決めました。",
      bodyEn: "Two local firms bid; the works are awarded.",
      publishedAt: new Date(now.getTime() - 2 * DAY_MS),
    });

    const staff = await tx
      .insert(users)
      .values([
        { email: DEMO_STAFF_EMAIL, name: "村役場 担当者", role: "staff" as const },
        { email: DEMO_SECOND_STAFF_EMAIL, name: "村役場 会計担当", role: "staff" as const },
        { email: DEMO_OTHER_ISSUER_STAFF_EMAIL, name: "海辺町役場 担当者", role: "staff" as const },
        { email: DEMO_OTHER_ISSUER_SECOND_STAFF_EMAIL, name: "海辺町役場 会計担当", role: "staff" as const },
        { email: DEMO_ADMIN_EMAIL, name: "ポータル管理者", role: "admin" as const },
      ])
      .returning({ id: users.id, email: users.email });
    const idOf = (email: string) => staff.find((row) => row.email === email)!.id;
    await tx.insert(issuerStaff).values([
      { issuerId: village!.id, userId: idOf(DEMO_STAFF_EMAIL) },
      { issuerId: village!.id, userId: idOf(DEMO_SECOND_STAFF_EMAIL) },
      { issuerId: town!.id, userId: idOf(DEMO_OTHER_ISSUER_STAFF_EMAIL) },
      { issuerId: town!.id, userId: idOf(DEMO_OTHER_ISSUER_SECOND_STAFF_EMAIL) },
    ]);
    await seedDemoBond(tx, { townId: town!.id, authorId: idOf(DEMO_OTHER_ISSUER_STAFF_EMAIL), approverId: idOf(DEMO_OTHER_ISSUER_SECOND_STAFF_EMAIL), masterKeys }, now);
    await seedHoldersVillage(tx, { offeringId: harbourOffering!.id, disclosureId: harbourDisclosure!.id, harbourProjectId: harbour!.id, staffId: idOf(DEMO_OTHER_ISSUER_STAFF_EMAIL), now });
    await seedOwnWallets(tx, {
      issuers: [
        { villageId: town!.id, offeringId: harbourOffering!.id, staffId: idOf(DEMO_OTHER_ISSUER_STAFF_EMAIL) },
        { villageId: village!.id, offeringId: offering!.id, staffId: idOf(DEMO_STAFF_EMAIL) },
      ],
      now,
    });
  });
  return true;
}
