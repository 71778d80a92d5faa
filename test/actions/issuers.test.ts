import { and, count, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { DEMO_BOND_SLUG, DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { auditLog, images, investorProfiles, issuerStaff, offerings, projects, users, villages, type Offering, type Village } from "@/db/schema";
import { grantStaffAction, revokeStaffAction, saveIssuerAction } from "@/app/(staff)/staff/admin/issuers/actions";
import { saveProjectAction } from "@/app/(staff)/staff/projects/actions";
import { GET as getImage } from "@/app/api/images/[id]/route";
import { canActForIssuer } from "@/lib/issuers/access";
import { getPublicIssuer, listIssuersWithOpenOffering } from "@/lib/issuers/public";
import type { ActionState } from "@/lib/actions/core";
import type { SessionUser } from "@/lib/auth/roles";
import { CAMERA_MAKE, GPS_LATITUDE_BYTES, jpegWithGps } from "@/test/images";
import { projectFields, type State } from "./project-fixtures";

const db = () => getDb();

let admin: SessionUser;
let nishimori: Village;
let umibe: Village;
let nishimoriOffering: Offering;
let umibeOffering: Offering;

const ISSUER = {
  slug: "yamanaka",
  kind: "village",
  nameJa: "山中村",
  nameEn: "Yamanaka Village",
  prefectureJa: "長野県",
  prefectureEn: "Nagano",
  population: "２,１００人",
  descriptionJa: "山あいの小さな村です。",
  descriptionEn: "A small village in the mountains.",
};

const tally = async () => ({
  issuers: (await db().select({ n: count() }).from(villages))[0]!.n,
  memberships: (await db().select({ n: count() }).from(issuerStaff))[0]!.n,
  audit: (await db().select({ n: count() }).from(auditLog))[0]!.n,
  staff: (await db().select({ n: count() }).from(users).where(eq(users.role, "staff")))[0]!.n,
});
const roleOf = async (userId: string) => (await db().select({ role: users.role }).from(users).where(eq(users.id, userId)))[0]!.role;
const issuerAudit = (action: "issuer.staff_granted" | "issuer.staff_revoked", issuerId: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, issuerId)));

beforeAll(async () => {
  await seedIfEmpty(db());
  admin = await makeUser("admin");
  [nishimoriOffering] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [Offering];
  [umibeOffering] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG))) as [Offering];
  [nishimori] = (await db().select().from(villages).where(eq(villages.id, nishimoriOffering.villageId))) as [Village];
  [umibe] = (await db().select().from(villages).where(eq(villages.id, umibeOffering.villageId))) as [Village];
});
beforeEach(() => {
  as.locale = "ja";
});

describe("only admins manage issuers and their staff", () => {
  it("refuses anonymous callers, investors and staff every admin action, and changes nothing", async () => {
    const target = await makeUser();
    const member = await makeUser("staff");
    await db().insert(issuerStaff).values({ issuerId: nishimori.id, userId: member.id });
    const attempts: [string, (state: ActionState, data: FormData) => Promise<ActionState>, FormData][] = [
      ["create issuer", saveIssuerAction, form({ ...ISSUER, slug: "refused" })],
      ["edit issuer", saveIssuerAction, form({ ...ISSUER, slug: nishimori.slug, issuerId: nishimori.id, nameJa: "乗っ取り村" })],
      ["grant", grantStaffAction, form({ issuerId: nishimori.id, email: target.email })],
      ["revoke", revokeStaffAction, form({ issuerId: nishimori.id, userId: member.id })],
    ];
    const before = await tally();
    for (const [who, expected] of [
      [null, "この操作にはログインが必要です。"],
      [await makeUser(), "この操作を行う権限がありません。"],
      [member, "この操作を行う権限がありません。"],
    ] as const) {
      as.user = who;
      for (const [name, action, data] of attempts) {
        expect(await run(action, data), `${name} as ${who?.role ?? "anonymous"}`).toEqual({ status: "error", message: expected });
      }
    }
    expect(await tally()).toEqual(before);
    expect((await db().select().from(villages).where(eq(villages.id, nishimori.id)))[0]!.nameJa).toBe(nishimori.nameJa);
    expect(await roleOf(target.id)).toBe("investor");
  });
});

describe("issuers", () => {
  it("validates the form with messages in the reader's language", async () => {
    as.user = admin;
    const bad = await run(saveIssuerAction, form({ ...ISSUER, slug: "Bad Slug!", kind: "city", population: "たくさん", nameJa: "" }));
    expect((bad as State).fieldErrors).toMatchObject({
      slug: "英小文字・数字・ハイフンで入力してください。",
      kind: "選択してください。",
      population: "1以上の整数（人）で入力してください。",
      nameJa: "入力してください。",
    });
    as.locale = "en";
    expect((await run(saveIssuerAction, form({ ...ISSUER, slug: nishimori.slug }))) as State).toMatchObject({ fieldErrors: { slug: "This address name is already used." } });
    const notImage = await run(saveIssuerAction, form({ ...ISSUER, logo: new File(["GIF89a not really"], "logo.png", { type: "image/png" }) }));
    expect((notImage as State).fieldErrors).toEqual({ logo: "Only JPEG, PNG and WebP images can be uploaded." });
    expect(await db().select().from(villages).where(eq(villages.slug, ISSUER.slug))).toHaveLength(0);
  });

  it("creates an issuer with a logo checked by content, serves the logo publicly without camera data, and audits create and edit", async () => {
    as.user = admin;
    const created = await run(saveIssuerAction, form({ ...ISSUER, logo: new File([jpegWithGps()], "IMG_0001.JPG", { type: "image/jpeg" }) }));
    expect(created).toMatchObject({ redirect: expect.stringMatching(/^\/staff\/admin\/issuers\/[0-9a-f-]{36}$/) });
    const [issuer] = await db().select().from(villages).where(eq(villages.slug, ISSUER.slug));
    expect(issuer).toMatchObject({ kind: "village", nameJa: "山中村", prefectureEn: "Nagano", population: 2100 });
    const [logo] = await db().select().from(images).where(eq(images.id, issuer!.logoImageId!));
    expect(logo).toMatchObject({ purpose: "logo", contentType: "image/jpeg", uploadedBy: admin.id });

    as.user = null;
    const served = await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: logo!.id }) });
    expect(served.status).toBe(200);
    expect(served.headers.get("cache-control")).toBe("public, max-age=300");
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.includes(GPS_LATITUDE_BYTES) || bytes.includes(Buffer.from(CAMERA_MAKE))).toBe(false);

    as.user = admin;
    expect(await run(saveIssuerAction, form({ ...ISSUER, issuerId: issuer!.id, kind: "municipality", population: "" }))).toEqual({ status: "ok", message: "保存しました。" });
    const [edited] = await db().select().from(villages).where(eq(villages.id, issuer!.id));
    expect(edited).toMatchObject({ kind: "municipality", population: null, logoImageId: logo!.id });
    const audit = await db().select().from(auditLog).where(eq(auditLog.targetId, issuer!.id));
    expect(audit.map((entry) => [entry.action, entry.actorId, entry.targetType])).toEqual([
      ["issuer.created", admin.id, "issuer"],
      ["issuer.updated", admin.id, "issuer"],
    ]);
    expect(audit[1]!.detail).toEqual({ changed: ["kind", "population"], before: { kind: "village", population: 2100 } });
  });

  it("sets where the issuer's JPYC payments go: a checksummed address, refused when malformed, cleared when empty, audited", async () => {
    as.user = admin;
    const slug = "kawabe";
    expect(await run(saveIssuerAction, form({ ...ISSUER, slug, stablecoinPayee: "0x1234" }))).toMatchObject({
      fieldErrors: { stablecoinPayee: "0xで始まる42文字のアドレスを入力してください（ゼロアドレスは使えません）。" },
    });
    expect(await run(saveIssuerAction, form({ ...ISSUER, slug, stablecoinPayee: `0x${"0".repeat(40)}` }))).toMatchObject({ fieldErrors: { stablecoinPayee: expect.any(String) } });
    await run(saveIssuerAction, form({ ...ISSUER, slug, stablecoinPayee: " 0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f " }));
    const [issuer] = await db().select().from(villages).where(eq(villages.slug, slug));
    expect(issuer!.stablecoinPayee).toBe("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f");
    await run(saveIssuerAction, form({ ...ISSUER, slug, issuerId: issuer!.id, stablecoinPayee: "" }));
    const [cleared] = await db().select().from(villages).where(eq(villages.id, issuer!.id));
    expect(cleared!.stablecoinPayee).toBeNull();
    const [updated] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, issuer!.id), eq(auditLog.action, "issuer.updated")));
    expect(updated!.detail).toMatchObject({ changed: ["stablecoinPayee"], before: { stablecoinPayee: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f" } });
  });

  it("keeps the address of an issuer once one of its offerings is public", async () => {
    as.user = admin;
    const state = await run(saveIssuerAction, form({ ...ISSUER, slug: "nishimori-2", issuerId: nishimori.id, nameJa: nishimori.nameJa }));
    expect((state as State).fieldErrors).toEqual({ slug: "公開中のオファリングがある発行体のURL用の名前は変更できません。" });
    expect((await db().select().from(villages).where(eq(villages.id, nishimori.id)))[0]!.slug).toBe("nishimori");
  });
});

describe("staff memberships", () => {
  it("grants by email to an existing account, refuses admins, unknown addresses and accounts used to invest, and audits who and which issuer", async () => {
    as.user = admin;
    const newcomer = await makeUser(); // signed in once, never invested
    const holder = await makeUser();
    await db().insert(investorProfiles).values({ userId: holder.id, familyNameKanji: "山田" });
    const otherAdmin = await makeUser("admin");
    const before = await tally();

    const grant = (email: string, issuerId = umibe.id) => run(grantStaffAction, form({ issuerId, email }));
    expect(await grant("nobody@example.jp")).toMatchObject({
      status: "invalid",
      fieldErrors: { email: "このメールアドレスのアカウントはありません。先に一度ポータルにログインしてもらってください。" },
    });
    expect(await grant(otherAdmin.email)).toMatchObject({ fieldErrors: { email: "管理者はすべての発行体を扱えるため、所属を追加する必要はありません。" } });
    expect(await grant(holder.email)).toMatchObject({ fieldErrors: { email: expect.stringMatching(/^このアカウントは投資に使われています。/) } });
    expect(await grant("not an email")).toMatchObject({ status: "invalid", fieldErrors: { email: "メールアドレスの形式が正しくありません。" } });
    expect(await run(grantStaffAction, form({ issuerId: "00000000-0000-4000-8000-000000000000", email: newcomer.email }))).toEqual({
      status: "error",
      message: "発行体が見つかりません。ページを再読み込みしてください。",
    });
    expect(await tally()).toEqual(before);
    expect(await roleOf(holder.id)).toBe("investor");

    // Typed with capitals and spaces, as people do.
    expect(await grant(`  ${newcomer.email.toUpperCase()} `)).toEqual({ status: "ok", message: `${newcomer.email} を職員アカウントに切り替えて追加しました。` });
    expect(await roleOf(newcomer.id)).toBe("staff");
    expect(await canActForIssuer({ id: newcomer.id, role: "staff" }, umibe.id)).toBe(true);
    expect(await canActForIssuer({ id: newcomer.id, role: "staff" }, nishimori.id)).toBe(false);
    expect(await grant(newcomer.email)).toMatchObject({ fieldErrors: { email: "この職員はすでにこの発行体に所属しています。" } });
    expect(await grant(newcomer.email, nishimori.id)).toEqual({ status: "ok", message: `${newcomer.email} を職員として追加しました。` });

    const [granted] = await issuerAudit("issuer.staff_granted", umibe.id).then((rows) => rows.filter((row) => row.detail?.userId === newcomer.id));
    expect(granted).toMatchObject({ actorId: admin.id, targetType: "issuer", detail: { issuerSlug: "umibe", email: newcomer.email, promotedFromInvestor: true } });
    const [membership] = await db()
      .select()
      .from(issuerStaff)
      .where(and(eq(issuerStaff.issuerId, umibe.id), eq(issuerStaff.userId, newcomer.id)));
    expect(membership!.grantedBy).toBe(admin.id);
  });

  it("after a revoke the staff member can no longer act for that issuer; with no issuer left the account is an investor again", async () => {
    const member = await makeUser("staff");
    as.user = admin;
    for (const issuerId of [nishimori.id, umibe.id]) expect(await run(grantStaffAction, form({ issuerId, email: member.email }))).toMatchObject({ status: "ok" });

    // While a member, they can create a project for the issuer's offering.
    as.user = member;
    expect(await run(saveProjectAction, form(projectFields("member-project", nishimoriOffering.id)))).toMatchObject({ redirect: expect.any(String) });
    const [project] = await db().select().from(projects).where(eq(projects.slug, "member-project"));

    as.user = admin;
    expect(await run(revokeStaffAction, form({ issuerId: nishimori.id, userId: member.id }))).toEqual({ status: "ok", message: "所属を解除しました。" });
    expect(await run(revokeStaffAction, form({ issuerId: nishimori.id, userId: member.id }))).toEqual({ status: "error", message: "この職員はこの発行体に所属していません。" });
    const [revoked] = await issuerAudit("issuer.staff_revoked", nishimori.id);
    expect(revoked).toMatchObject({ actorId: admin.id, detail: { issuerSlug: "nishimori", userId: member.id, email: member.email, demotedToInvestor: false } });

    // Still staff of Umibe, but nothing of Nishimori's any more: its project is not found and does not change.
    expect(await roleOf(member.id)).toBe("staff");
    as.user = member;
    expect(await canActForIssuer(member, nishimori.id)).toBe(false);
    expect(await run(saveProjectAction, form({ ...projectFields("member-project", nishimoriOffering.id), projectId: project!.id, titleJa: "解除後の編集" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { offeringId: "オファリングが見つかりません。" },
    });
    expect(await run(saveProjectAction, form({ ...projectFields("member-project", umibeOffering.id), projectId: project!.id, titleJa: "解除後の編集" }))).toEqual({
      status: "error",
      message: "対象が見つかりません。ページを再読み込みしてください。",
    });
    expect((await db().select().from(projects).where(eq(projects.id, project!.id)))[0]).toMatchObject({ titleJa: project!.titleJa, offeringId: nishimoriOffering.id });

    as.user = admin;
    expect(await run(revokeStaffAction, form({ issuerId: umibe.id, userId: member.id }))).toEqual({
      status: "ok",
      message: "所属を解除しました。どの発行体にも所属しなくなったため、一般アカウントに戻しました。",
    });
    expect(await roleOf(member.id)).toBe("investor");
    // Sessions read the role from the database, so the next request is an investor's.
    as.user = { ...member, role: await roleOf(member.id) };
    expect(await run(saveProjectAction, form(projectFields("after-revoke", umibeOffering.id)))).toEqual({ status: "error", message: "この操作を行う権限がありません。" });
  });
});

describe("what the public sees", () => {
  it("the home page lists only issuers with an open offering", async () => {
    const [quiet] = await db()
      .insert(villages)
      .values({ slug: "shizuka", nameJa: "静村", nameEn: "Shizuka", prefectureJa: "岩手県", prefectureEn: "Iwate", descriptionJa: "静かな村。", descriptionEn: "A quiet village." })
      .returning();
    const offering = (slug: string, status: Offering["status"]) => ({
      villageId: quiet!.id,
      slug,
      kind: "village_token" as const,
      nameJa: slug,
      nameEn: slug,
      descriptionJa: "説明",
      descriptionEn: "About",
      tokenSymbol: "SZK",
      priceYen: 1000,
      capUnits: 100,
      maxUnitsPerOrder: 10,
      opensAt: new Date("2026-01-01T00:00:00Z"),
      closesAt: new Date("2027-01-01T00:00:00Z"),
      status,
      // Approved and deployed, as an offering must be before it opens.
      approvedRevision: 1,
      chainId: 31337,
      tokenAddress: `0x${"5".repeat(40)}`,
    });
    await db()
      .insert(offerings)
      .values([offering("shizuka-draft", "draft"), offering("shizuka-closed", "closed"), offering("shizuka-paused", "paused")]);
    const slugs = async () => (await listIssuersWithOpenOffering()).map((card) => card.issuer.slug);
    expect(await slugs()).toEqual(expect.arrayContaining(["nishimori", "umibe"]));
    expect(await slugs()).not.toContain("shizuka");
    expect(await slugs()).not.toContain(ISSUER.slug);

    await db().update(offerings).set({ status: "open" }).where(eq(offerings.slug, "shizuka-paused"));
    const cards = await listIssuersWithOpenOffering();
    expect(cards.find((card) => card.issuer.slug === "shizuka")).toMatchObject({ openOfferings: 1, logo: null });
    expect(cards.find((card) => card.issuer.slug === "nishimori")).toMatchObject({ openOfferings: 1 });
  });

  it("an issuer's page shows its offerings but never a draft, and only its published projects", async () => {
    const page = await getPublicIssuer("shizuka");
    expect(page!.offerings.map((offering) => [offering.slug, offering.status])).toEqual([
      ["shizuka-paused", "open"],
      ["shizuka-closed", "closed"],
    ]);
    expect(page!.offerings[0]).toMatchObject({ raisedYen: 0, targetYen: 100_000, unitsLeft: 100 });

    const draftOffering = (await db().select().from(offerings).where(eq(offerings.slug, "shizuka-draft")))[0]!;
    const closed = (await db().select().from(offerings).where(eq(offerings.slug, "shizuka-closed")))[0]!;
    const project = (slug: string, offeringId: string, publishedAt: Date | null) => ({
      slug,
      offeringId,
      titleJa: slug,
      titleEn: slug,
      summaryJa: "概要",
      summaryEn: "Summary",
      bodyJa: "本文",
      bodyEn: "Body",
      budgetYen: 1000,
      publishedAt,
    });
    await db()
      .insert(projects)
      .values([project("shizuka-published", closed.id, new Date()), project("shizuka-unpublished", closed.id, null), project("shizuka-of-draft", draftOffering.id, null)]);
    expect((await getPublicIssuer("shizuka"))!.projects.map((row) => row.project.slug)).toEqual(["shizuka-published"]);

    // Another issuer's page shows none of these.
    const umibePage = await getPublicIssuer("umibe");
    expect(umibePage!.offerings.map((offering) => offering.slug).sort()).toEqual([DEMO_OTHER_OFFERING_SLUG, DEMO_BOND_SLUG].sort());
    expect(umibePage!.projects.map((row) => row.project.slug).sort()).toEqual(["harbour-wall", "morning-market-roof"]);
    expect(await getPublicIssuer("no-such-issuer")).toBeNull();
  });
});
