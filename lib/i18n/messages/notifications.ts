/** Holders' notifications about new project updates. */

import type { Shape } from "../shape";

export const ja = {
  notifications: {
    title: "お知らせ",
    lead: "お支払い・トークンの発行・返金・本人確認の結果と、保有しているトークンの事業の新しい進捗報告をお知らせします。",
    empty: "まだお知らせはありません。",
    unread: "未読",
    markAllRead: "すべて既読にする",
    newUpdate: "{project}に新しい進捗報告",
    settings: "メール通知",
    emailUpdates: "新しい進捗報告をメールでも受け取る",
    saveSettings: "設定を保存する",
    settingsSaved: "メール通知の設定を保存しました。",
    mailSubject: "【{project}】新しい進捗報告: {title}",
    mailBody: "保有されているトークンの事業に、新しい進捗報告が公開されました。\n\n{title}\n{excerpt}\n\n続きを読む: {url}\n\nメール通知の設定: {settings}",
  },
} as const;

export const en: Shape<typeof ja> = {
  notifications: {
    title: "Notifications",
    lead: "Your payments, token issuance, refunds and identity check, and new updates on the projects of tokens you hold.",
    empty: "No notifications yet.",
    unread: "Unread",
    markAllRead: "Mark all as read",
    newUpdate: "New update on {project}",
    settings: "Email",
    emailUpdates: "Also email me about new updates",
    saveSettings: "Save",
    settingsSaved: "Email setting saved.",
    mailSubject: "[{project}] New update: {title}",
    mailBody: "A project funded by a token you hold has published an update.\n\n{title}\n{excerpt}\n\nRead it: {url}\n\nEmail settings: {settings}",
  },
};
