/** Cooling-off: until when an investor may cancel, the cancel step and its outcome. */

import type { Shape } from "../shape";

export const ja = {
  coolingOff: {
    title: "クーリングオフ（申込みの取消し）",
    journey: "クーリングオフによる取消し",
    until: "この注文は{date}（日本時間）の終わりまで取り消せます（クーリングオフ）。",
    offering: "この募集では、申込日を1日目として{days}日間、理由を問わず申込みを取り消せます（クーリングオフ）。取消しは注文のページから行えます。",
    untilLead: "申込日を1日目として数えた期間です。理由は問いません。",
    cancel: "この注文を取り消す",
    confirm: {
      heading: "取り消すと、次のようになります",
      refundCard: "お支払いの全額を、決済代行会社（Stripe）の手続きでカードに返金します。明細への反映はカード会社により数日から数週間かかります。",
      refundDeferred: "お支払いの全額を、決済代行会社（Stripe）の手続きで返金します。コンビニ払い・銀行振込の場合は、返金先の口座をメールでお伺いします。",
      tokens: "発行済みのトークンがあれば、返金の後に回収します。",
      unpaid: "まだお支払いがないため返金はありません。カードの支払画面は使えなくなります。",
      unpaidKonbini: "まだお支払いがないため返金はありません。払込票（お支払い番号）は使えなくなります。",
      unpaidBank: "まだお振込みがないため返金はありません。この注文の振込先へはお振り込みにならないでください（取消し後に届いたお振込みは、担当者が確認して返金します）。",
      partlyPaid: "すでにお振り込みいただいた{received}は、全額を返金します。残りのお振込みは不要です。",
      units: "確保していた口数は販売に戻ります。",
      final: "取消しは元に戻せません。もう一度購入するには、あらためてお申し込みください。",
      yes: "取り消す",
      back: "取り消さない",
    },
    done: {
      refunding: "取消しを受け付けました。全額の返金を手続きします。",
      released: "取消しを受け付けました。口数は販売に戻りました。",
    },
    status: {
      cancelledOn: "{date}に取消し（クーリングオフ）を受け付けました。",
      processing: "取消しの手続き中です。",
      refunding: "返金の手続き中です。発行済みのトークンは返金の後に回収します。",
      refunded: "全額を返金しました。発行済みのトークンは回収しました（または回収の手続き中です）。",
      released: "お支払い前の取消しのため、返金はありません。口数は販売に戻りました。",
      releasedPartlyPaid: "お振込みの途中での取消しのため、受け取った{received}を返金します。口数は販売に戻りました。",
    },
    ended: "クーリングオフの期間は{date}に終わりました。",
    issuer:
      "JPYCでお支払いの注文は、ポータルからは取り消せません。JPYCの支払いは決済代行会社を通らないため、代行会社による返金の仕組みがないからです。{date}までのクーリングオフは発行体が受け付けますので、発行体に直接ご連絡ください。",
    errors: {
      notFound: "注文が見つかりません。注文一覧から選び直してください。",
      notOwner: "この注文を取り消せるのは、注文したご本人だけです。ご自身のアカウントでサインインしてください。",
      expired: "クーリングオフの期間が終わっているため、取り消せません。ご事情がある場合は発行体にお問い合わせください。",
      alreadyCancelled: "この注文はすでに取り消されています。返金の状況はこの注文のページでご確認ください。",
      notCancellable: "この注文は今の状態では取り消せません。お支払い前の注文は、お支払いがなければ期限で自動的に失効します。",
      paidInStablecoin: "JPYCでのお支払いは決済代行会社を通らないため、ポータルから返金できません。クーリングオフは発行体が受け付けますので、発行体に直接ご連絡ください。",
      disputed: "このお支払いはカード会社で異議申立ての手続き中のため、ここでは取り消せません。カード会社の手続きの結果をお待ちください。",
    },
  },
};

export const en: Shape<typeof ja> = {
  coolingOff: {
    title: "Cooling-off (cancelling your application)",
    journey: "Cancelled within the cooling-off period",
    until: "You may cancel this order until the end of {date}, Japan time (cooling-off).",
    offering: "In this offering you may cancel your application for any reason within {days} days, counting the day you apply as day 1 (cooling-off). You cancel from the order's page.",
    untilLead: "The period counts the day you applied as day 1. You need not give a reason.",
    cancel: "Cancel this order",
    confirm: {
      heading: "If you cancel",
      refundCard: "The full amount is refunded to your card by the payment processor (Stripe). Your card issuer may take days to weeks to show it on your statement.",
      refundDeferred: "The full amount is refunded by the payment processor (Stripe). For a convenience store payment or a bank transfer, you are asked by email for the account to refund to.",
      tokens: "Any tokens already issued to you are taken back after the refund.",
      unpaid: "You have not paid yet, so nothing is refunded. The card payment page can no longer be used.",
      unpaidKonbini: "You have not paid yet, so nothing is refunded. The payment slip (the payment numbers) can no longer be used.",
      unpaidBank:
        "You have not transferred anything yet, so nothing is refunded. Please do not transfer money for this order any more (a transfer that arrives after the cancellation is checked by our staff and refunded).",
      partlyPaid: "The {received} you have already transferred is refunded in full. You need not transfer the rest.",
      units: "The units held for you go back on sale.",
      final: "A cancellation cannot be undone. To buy again, place a new order.",
      yes: "Cancel the order",
      back: "Keep the order",
    },
    done: {
      refunding: "Your cancellation is accepted. The full amount is being refunded.",
      released: "Your cancellation is accepted. The units went back on sale.",
    },
    status: {
      cancelledOn: "Cancelled on {date} (cooling-off).",
      processing: "The cancellation is being processed.",
      refunding: "The refund is on its way. Any tokens issued are taken back after it.",
      refunded: "The full amount was refunded. Any tokens issued have been taken back (or are being taken back).",
      released: "Cancelled before payment, so there is nothing to refund. The units went back on sale.",
      releasedPartlyPaid: "Cancelled while the transfer was incomplete: the {received} received is refunded. The units went back on sale.",
    },
    ended: "The cooling-off period ended on {date}.",
    issuer:
      "An order paid in JPYC cannot be cancelled in the portal: a JPYC payment does not go through a payment processor, so there is no processor refund for it. The issuer takes cooling-off cancellations until {date}; please contact the issuer directly.",
    errors: {
      notFound: "The order was not found. Please choose it again from your orders.",
      notOwner: "Only the investor who placed this order can cancel it. Please sign in with your own account.",
      expired: "The cooling-off period has ended, so this order can no longer be cancelled. If you have a particular reason, please contact the issuer.",
      alreadyCancelled: "This order is already cancelled. See the refund's progress on this order's page.",
      notCancellable: "This order cannot be cancelled in its current state. An unpaid order lapses by itself when its payment time runs out.",
      paidInStablecoin: "A JPYC payment does not go through a payment processor, so the portal cannot refund it. The issuer takes cooling-off cancellations; please contact the issuer directly.",
      disputed: "This payment is being disputed with your card issuer, so it cannot be cancelled here. Please wait for the outcome of the card issuer's process.",
    },
  },
};
