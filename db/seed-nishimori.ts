import type { Tx } from "./client";
import { projects, projectUpdates } from "./schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Nishimori forest token's three projects, each with its updates dated days before `now`. */
const NISHIMORI_PROJECTS = [
  {
    slug: "forest-thinning",
    titleJa: "百年の森 間伐事業",
    titleEn: "Hundred-year forest thinning",
    summaryJa: "手入れの遅れた人工林120ヘクタールを間伐し、光の入る健全な森に戻します。",
    summaryEn: "Thin 120 hectares of neglected plantation so that light reaches the forest floor again.",
    bodyJa: "戦後に植えられたスギ・ヒノキの人工林は、間伐が遅れて暗く細い木ばかりになっています。村が所有者から管理を預かり、計画的に間伐します。伐った木は村の製材所で加工し、村内の建物に使います。",
    bodyEn:
      "The cedar and cypress planted after the war have grown dark and thin for want of thinning. The village takes over their care from the owners and thins to a plan; the timber is milled in the village and used in its buildings.",
    budgetYen: 4_000_000,
    status: "in_progress" as const,
    updates: [
      {
        titleJa: "第1区画の間伐が完了しました",
        titleEn: "Plot 1 thinned",
        bodyJa: "北斜面の第1区画、18ヘクタールの間伐を終えました。搬出した木材は約240立方メートルです。",
        bodyEn: "We finished thinning plot 1 on the north slope, 18 hectares, and brought out about 240 cubic metres of timber.",
        daysAgo: 12,
      },
      {
        titleJa: "作業道の整備を始めました",
        titleEn: "Work road under way",
        bodyJa: "第2区画へ向けて、全長1.2キロメートルの作業道の整備を始めました。",
        bodyEn: "We started a 1.2 km work road towards plot 2.",
        daysAgo: 3,
      },
    ],
  },
  {
    slug: "wooden-school",
    titleJa: "木造校舎の改修",
    titleEn: "Renovating the wooden school",
    summaryJa: "築70年の木造校舎を村の木材で耐震改修し、子どもと村の交流拠点にします。",
    summaryEn: "Make the 70-year-old wooden school earthquake-safe with village timber and open it as a meeting place.",
    bodyJa: "耐震診断の結果に基づき、柱と梁を村産材で補強します。改修後は放課後の学び場としても開放します。",
    bodyEn: "Following the seismic survey, posts and beams are reinforced with village timber; afterwards the school opens after hours as a place to learn.",
    budgetYen: 3_000_000,
    status: "planned" as const,
    updates: [
      {
        titleJa: "耐震診断を実施しました",
        titleEn: "Seismic survey done",
        bodyJa: "専門家による耐震診断を実施し、補強が必要な箇所を特定しました。",
        bodyEn: "Engineers surveyed the building and marked where it needs reinforcing.",
        daysAgo: 20,
      },
    ],
  },
  {
    slug: "forest-trail",
    titleJa: "森の遊歩道",
    titleEn: "The forest trail",
    summaryJa: "間伐した森を歩ける全長3キロメートルの遊歩道を、村の木材でつくります。",
    summaryEn: "A 3 km trail through the thinned forest, built from village timber.",
    bodyJa: "間伐の成果を多くの人に見てもらうため、木道と案内板を整備します。",
    bodyEn: "Boardwalks and signs so that visitors can see what thinning does for a forest.",
    budgetYen: 1_500_000,
    status: "planned" as const,
    updates: [
      {
        titleJa: "ルートの調査を行いました",
        titleEn: "Route surveyed",
        bodyJa: "地元の森林組合と一緒にルート候補を歩き、3案に絞りました。",
        bodyEn: "With the local forestry cooperative we walked the candidate routes and kept three.",
        daysAgo: 8,
      },
    ],
  },
];

export async function seedNishimoriProjects(tx: Tx, offeringId: string, now: Date): Promise<void> {
  for (const { updates, ...project } of NISHIMORI_PROJECTS) {
    const [row] = await tx
      .insert(projects)
      .values({ ...project, offeringId, publishedAt: now })
      .returning();
    await tx.insert(projectUpdates).values(
      updates.map(({ daysAgo, ...update }) => ({
        ...update,
        projectId: row!.id,
        publishedAt: new Date(now.getTime() - daysAgo * DAY_MS),
      })),
    );
  }
}
