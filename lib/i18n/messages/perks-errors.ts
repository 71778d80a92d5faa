/** Holders' village: the perk forms' field messages (lib/perks/schemas.ts) and the packing list's columns. */

import type { Shape } from "../shape";

export const ja = {
  perkErrors: {
    kind: "特典の種類を選んでください。",
    minUnits: "必要な保有口数を1から1,000,000,000までの整数で入力してください。",
    recordDate: "権利確定日を正しい日付で入力してください（例: 2026-11-30）。",
    recordDateAfterClose: "権利確定日は申込の終了より前に終わる日にしてください（対象の方は権利確定日が終わってから決まります）。",
    costUnits: "引き換える口数を1から1,000,000,000までの整数で入力してください。",
    stock: "用意する数を1から1,000,000までの整数で入力してください。",
    dateTime: "日時を正しく入力してください（日本時間）。",
    window: "申込の終了は申込の開始より後の日時にしてください。",
    characters: "使えない文字（制御文字など）が含まれています。",
    postalCode: "郵便番号は7桁の数字で入力してください（例: 707-0503）。",
    phone: "電話番号は数字とハイフンで入力してください（例: 0868-79-2111）。",
    trackingNumber: "お問い合わせ番号は英数字とハイフンで、40文字以内で入力してください。",
    claim: "申込みを選び直してください。",
  },
  perkPackingList: {
    columns: {
      claimId: "申込ID",
      status: "状態",
      name: "お届け先氏名",
      kana: "フリガナ",
      postalCode: "郵便番号",
      address: "住所",
      phone: "電話番号",
      item: "品目",
      units: "口数",
      claimedAt: "申込日時（日本時間）",
    },
    status: {
      toShip: "発送待ち",
      awaitingBurn: "トークン消却待ち（まだ発送しないでください）",
      burnFailed: "トークンの消却に失敗（発送しないでください）",
    },
  },
} as const;

export const en: Shape<typeof ja> = {
  perkErrors: {
    kind: "Choose how the perk is earned.",
    minUnits: "Enter the tokens held as a whole number from 1 to 1,000,000,000.",
    recordDate: "Enter a valid record date (e.g. 2026-11-30).",
    recordDateAfterClose: "The record date must end before claims close (who may claim is known only once it has ended).",
    costUnits: "Enter the tokens given up as a whole number from 1 to 1,000,000,000.",
    stock: "Enter how many as a whole number from 1 to 1,000,000.",
    dateTime: "Enter a valid date and time (Japan time).",
    window: "Claims must close after they open.",
    characters: "Remove the characters that cannot be used (control characters and the like).",
    postalCode: "Enter a 7-digit postal code (e.g. 707-0503).",
    phone: "Enter the phone number in digits and hyphens (e.g. 0868-79-2111).",
    trackingNumber: "Enter the tracking number in letters, digits and hyphens, at most 40 characters.",
    claim: "Choose the claim again.",
  },
  perkPackingList: {
    columns: {
      claimId: "Claim ID",
      status: "Status",
      name: "Recipient",
      kana: "Kana",
      postalCode: "Postal code",
      address: "Address",
      phone: "Phone",
      item: "Item",
      units: "Units",
      claimedAt: "Claimed (Japan time)",
    },
    status: {
      toShip: "To ship",
      awaitingBurn: "Awaiting the token burn (do not ship yet)",
      burnFailed: "Token burn failed (do not ship)",
    },
  },
};
