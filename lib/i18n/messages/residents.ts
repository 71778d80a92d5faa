/** Residents first: the residents' tranche and window, residence checks and their refusals. */

import type { Shape } from "../shape";

export const ja = {
  residents: {
    title: "住民優先",
    counters: {
      resident: "{municipality}にお住まいの方の枠：残り{left}口／{size}口（{until}まで）",
      general: "一般販売：残り{left}口",
      window: "{until}までは、{municipality}にお住まいの方だけが購入できます。",
      afterwards: "{until}以降は、売れ残った住民枠も含めてどなたでも購入できます。",
      afterwardsWindow: "{until}以降は、どなたでも購入できます。",
    },
    buy: {
      resident: "{municipality}にお住まいの方として確認されています。",
      unverified: "本人確認書類で住所が確認されていないため、住民としては扱われません。住所を変更した場合は、書類での確認が済むまでお待ちください。",
      fromDate: "{date}から購入できます（それまでは{municipality}にお住まいの方が優先です）。",
      generalNow: "いまは一般販売の口数（残り{left}口）から購入できます。住民枠の売れ残りは{date}から購入できます。",
    },
    errors: {
      residentsOnly: "{date}までは、発行体の地域にお住まいの方（住所確認済み）だけが購入できます。{date}以降にお申し込みください。",
    },
    terms: {
      heading: "クーリングオフと住民優先",
      coolingOffDays: "クーリングオフ期間（日、申込日を1日目として数える、0で無し）",
      residentUnits: "住民枠（口、0で枠なし）",
      residentsUntil: "住民優先の終了（日本時間）",
      hint: "住民枠を設けると、終了日時まで住民の方はまず枠から、それ以外の方は一般分（発行上限−住民枠）から購入します。住民枠を0にして終了日時だけを決めると、その日時まで住民の方だけが購入できます。終了後は売れ残りをどなたでも購入できます。",
    },
    formErrors: {
      coolingOffDays: "0〜30の整数を入力してください。",
      residentUnits: "0以上の整数を入力してください。",
      aboveCap: "住民枠は発行上限以下にしてください。",
      untilRequired: "住民枠を設けるときは、住民優先の終了日時を入力してください。",
      untilOutside: "住民優先の終了は、募集開始より後・募集終了より前にしてください。",
      noMunicipality: "この発行体には住民の対象となる市区町村が設定されていないため、住民枠・住民優先は設けられません（管理者が発行体の設定で登録します）。",
      belowTaken: "住民枠を、すでに住民の方が予約・購入した口数より小さくはできません。",
    },
    issuer: {
      heading: "住民優先の対象となる市区町村",
      prefecture: "都道府県",
      choosePrefecture: "設定しない",
      city: "市区町村（プロフィールの記入どおり、例：英田郡西森村）",
      hint: "住民枠・住民優先のオファリングで「住民」と扱うのは、本人確認で住所が確認され、その都道府県・市区町村がここと一致する投資家です。市区町村は文字どおりに比べます（全角・半角と空白の違いは無視します）。郡名の有無など書き方が違うと一致しないため、住民の方がプロフィールに書く形で入力してください。",
      errors: {
        prefecture: "都道府県を選んでください。",
        both: "都道府県と市区町村は両方入力するか、両方空にしてください。",
      },
    },
    review: {
      addressLegend: "書類の住所はプロフィールの住所（都道府県・市区町村）と一致していますか",
      addressYes: "一致する",
      addressNo: "一致しない（本人として承認し、住所は未確認とする）",
      changeLegend: "新しい住所を本人確認書類などで確認しましたか",
      changeYes: "書類で確認した",
      changeNo: "確認していない（住所は未確認に戻ります）",
      choose: "どちらかを選んでください。",
      addressChanged: "審査中に投資家がプロフィールの住所を変えました。ページを読み込み直し、新しい住所を書類と見比べてから決めてください。",
      addressVerified: "住所は確認済みです（{date}）。",
    },
  },
};

export const en: Shape<typeof ja> = {
  residents: {
    title: "Residents first",
    counters: {
      resident: "Residents of {municipality}: {left} of {size} units left, until {until}",
      general: "General sale: {left} units left",
      window: "Until {until} only residents of {municipality} can buy.",
      afterwards: "From {until} anyone can buy what is left, unsold residents' units included.",
      afterwardsWindow: "From {until} anyone can buy.",
    },
    buy: {
      resident: "You are recognised as a resident of {municipality}.",
      unverified: "Your address has not been confirmed against your identity document, so you are not treated as a resident yet. After a change of address, please wait until it is confirmed.",
      fromDate: "You can buy from {date} (until then residents of {municipality} come first).",
      generalNow: "You can buy now from the general sale ({left} units left); unsold residents' units are open to you from {date}.",
    },
    errors: {
      residentsOnly: "Until {date} only residents of the issuer's municipality (with a confirmed address) can buy. Please apply from {date}.",
    },
    terms: {
      heading: "Cooling-off and residents first",
      coolingOffDays: "Cooling-off period (days, the application day is day 1; 0 for none)",
      residentUnits: "Residents' units (0 for none)",
      residentsUntil: "Residents first until (Japan time)",
      hint: "With residents' units, until that time residents buy from them first and everyone else from the general part (cap − residents' units). With 0 residents' units and only an end time, only residents can buy until then. Afterwards anyone can buy what is left.",
    },
    formErrors: {
      coolingOffDays: "Enter a whole number from 0 to 30.",
      residentUnits: "Enter a whole number, 0 or more.",
      aboveCap: "Residents' units cannot exceed the cap.",
      untilRequired: "With residents' units, enter until when residents come first.",
      untilOutside: "Residents first must end after the sale opens and before it closes.",
      noMunicipality: "This issuer has no municipality for its residents, so it cannot keep units or a window for them (an admin sets it in the issuer's settings).",
      belowTaken: "Residents' units cannot go below the units residents have already reserved or bought.",
    },
    issuer: {
      heading: "Municipality whose residents come first",
      prefecture: "Prefecture",
      choosePrefecture: "None",
      city: "City, town or village (as written in profiles, e.g. 英田郡西森村)",
      hint: "In offerings with residents' units or a residents' window, an investor counts as a resident when their address was confirmed in the identity review and its prefecture and city are these. The city is compared as written (ignoring full- or half-width characters and spaces): with or without the district (郡) name are different, so enter it the way residents write it in their profiles.",
      errors: {
        prefecture: "Choose a prefecture.",
        both: "Enter both the prefecture and the city, or neither.",
      },
    },
    review: {
      addressLegend: "Does the document's address match the profile (prefecture and city)?",
      addressYes: "It matches",
      addressNo: "It does not match (approve the person; the address stays unconfirmed)",
      changeLegend: "Did you confirm the new address against an identity document?",
      changeYes: "Confirmed against a document",
      changeNo: "Not confirmed (the address becomes unconfirmed)",
      choose: "Choose one.",
      addressChanged: "The investor changed the profile's address while you were reviewing. Reload the page and compare the new address with the document before you decide.",
      addressVerified: "Address confirmed ({date}).",
    },
  },
};
