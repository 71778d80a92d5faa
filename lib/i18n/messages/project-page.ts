/** Public project pages and the updates feed. */

import type { Shape } from "../shape";

export const ja = {
  projectPage: {
    story: "事業について",
    budget: "予算",
    funded: "調達済み",
    spent: "支出済み",
    fundedLabel: "予算の{percent}%を調達",
    spentLabel: "予算の{percent}%を支出",
    fundingNote: "調達済みの額は、オファリングへの入金額（返金を除く）を、各事業の予算の割合で配分したものです。",
    chartTitle: "調達と支出の推移",
    chartDescription: "{start}から{end}までの推移。現在、調達済み {funded}、支出済み {spent}、予算 {budget}。",
    spending: "資金の使途",
    spendingEmpty: "まだ支出はありません。",
    date: "日付",
    amount: "金額",
    description: "内容",
    total: "合計",
    receiptOnFile: "領収書は村が保管しています",
    edited: "{date}に更新",
    photo: "「{title}」の写真 {n}",
    coverAlt: "{title}のカバー写真",
    feed: "進捗報告のフィード（Atom）",
    feedTitle: "西森村 村の事業の進捗報告",
  },
} as const;

export const en: Shape<typeof ja> = {
  projectPage: {
    story: "About the project",
    budget: "Budget",
    funded: "Funded",
    spent: "Spent",
    fundedLabel: "{percent}% of the budget funded",
    spentLabel: "{percent}% of the budget spent",
    fundingNote: "Funded is the yen paid into the offering (less refunds), shared among its projects in proportion to their budgets.",
    chartTitle: "Funding and spending over time",
    chartDescription: "From {start} to {end}. Now funded {funded}, spent {spent}, budget {budget}.",
    spending: "Use of proceeds",
    spendingEmpty: "Nothing spent yet.",
    date: "Date",
    amount: "Amount",
    description: "What for",
    total: "Total",
    receiptOnFile: "Receipt kept by the village",
    edited: "Edited {date}",
    photo: "Photo {n} of “{title}”",
    coverAlt: "Cover photo of {title}",
    feed: "Updates feed (Atom)",
    feedTitle: "Nishimori Village project updates",
  },
};
