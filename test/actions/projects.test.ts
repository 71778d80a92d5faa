import { and, count, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { seedIfEmpty, DEMO_OFFERING_SLUG } from "@/db/seed";
import { auditLog, devMailbox, images, issuerStaff, ledgerEntries, notifications, offerings, projects, projectSpending, projectUpdateRevisions, projectUpdates, type Project } from "@/db/schema";
import { recordSpendingAction, removeSpendingAction, saveProjectAction, saveUpdateAction, setProjectPublishedAction, setUpdatePublishedAction } from "@/app/(staff)/staff/projects/actions";
import { markAllReadAction, saveEmailPreferenceAction } from "@/app/(investor)/notifications/actions";
import { GET as getImage } from "@/app/api/images/[id]/route";
import { GET as exportRegister } from "@/app/(staff)/staff/register/export/route";
import { POST as grantDemo } from "@/app/(staff)/staff/register/demo-holding/route";
import { GET as getFeed } from "@/app/feed.xml/route";
import { listNotifications, unreadCount } from "@/lib/notifications";
import { getPublishedProject } from "@/lib/projects/queries";
import { CAMERA_MAKE, GPS_LATITUDE_BYTES, jpegWithGps, PNG_1x1 } from "@/test/images";
import type { ActionState } from "@/lib/actions/core";
import type { SessionUser } from "@/lib/auth/roles";
import { projectFields, runScheduled, type State, tally, updateFields } from "./project-fixtures";

const db = () => getDb();

let staff: SessionUser;
let investor: SessionUser;
let offeringId: string;
let seededProject: Project;

beforeAll(async () => {
  await seedIfEmpty(getDb());
  staff = await makeUser("staff");
  investor = await makeUser("investor");
  const [seeded] = await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  offeringId = seeded!.id;
  // Staff act only for the issuers they belong to (test/actions/issuer-scope.test.ts checks the other side).
  await db().insert(issuerStaff).values({ issuerId: seeded!.villageId, userId: staff.id });
  [seededProject] = (await db().select().from(projects).where(eq(projects.slug, "forest-thinning"))) as [Project];
});
beforeEach(() => {
  as.locale = "ja";
});

describe("only staff can create or change projects, updates and spending", () => {
  it("refuses an anonymous visitor and an investor every staff action, and changes nothing", async () => {
    const [update] = await db().select().from(projectUpdates).where(eq(projectUpdates.projectId, seededProject.id));
    const [spent] = await db().insert(projectSpending).values({ projectId: seededProject.id, spentOn: new Date(), amountYen: 1000, descriptionJa: "試験", descriptionEn: "test" }).returning();
    const attempts: [string, (state: ActionState, data: FormData) => Promise<ActionState>, FormData][] = [
      ["create project", saveProjectAction, form(projectFields("refused-project", offeringId))],
      ["edit project", saveProjectAction, form({ ...projectFields(seededProject.slug, offeringId), projectId: seededProject.id, titleJa: "乗っ取り" })],
      ["unpublish project", setProjectPublishedAction, form({ projectId: seededProject.id, publish: "false" })],
      ["create update", saveUpdateAction, form({ ...updateFields(seededProject.id), images: new File([PNG_1x1], "x.png") })],
      ["edit update", saveUpdateAction, form({ ...updateFields(seededProject.id), updateId: update!.id })],
      ["withdraw update", setUpdatePublishedAction, form({ updateId: update!.id, publish: "false" })],
      ["record spending", recordSpendingAction, form({ projectId: seededProject.id, spentOn: "2026-11-01", amountYen: "5000", descriptionJa: "a", descriptionEn: "a" })],
      ["remove spending", removeSpendingAction, form({ spendingId: spent!.id })],
    ];
    const before = await tally();
    for (const [who, expected] of [
      [null, "この操作にはログインが必要です。"],
      [investor, "この操作を行う権限がありません。"],
    ] as const) {
      as.user = who;
      for (const [name, action, data] of attempts) {
        expect(await run(action, data), `${name} as ${who?.role ?? "anonymous"}`).toEqual({ status: "error", message: expected });
      }
    }
    expect(await tally()).toEqual(before);
    const [still] = await db().select().from(projects).where(eq(projects.id, seededProject.id));
    expect(still).toMatchObject({ titleJa: seededProject.titleJa, publishedAt: seededProject.publishedAt });
    await db().delete(projectSpending).where(eq(projectSpending.id, spent!.id));
  });

  it("refuses them the staff routes: register export and the demo holding", async () => {
    for (const [who, status] of [
      [null, 401],
      [investor, 403],
    ] as const) {
      as.user = who;
      expect((await exportRegister(new Request("http://localhost/staff/register/export"))).status).toBe(status);
      const post = new Request("http://localhost/staff/register/demo-holding", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: investor.email, units: 5 }),
      });
      expect((await grantDemo(post)).status).toBe(status);
    }
    expect((await db().select({ n: count() }).from(ledgerEntries).where(eq(ledgerEntries.userId, investor.id)))[0]!.n).toBe(0);
  });
});

describe("projects", () => {
  it("validates input with field messages in the reader's language", async () => {
    as.user = staff;
    const bad = await run(saveProjectAction, form({ ...projectFields("Bad Slug!", offeringId), budgetYen: "たくさん", titleJa: "", status: "cancelled" }));
    expect(bad).toMatchObject({ status: "invalid" });
    expect((bad as State).fieldErrors).toMatchObject({
      slug: "英小文字・数字・ハイフンで入力してください。",
      budgetYen: expect.stringMatching(/整数/),
      titleJa: "入力してください。",
      status: "選択してください。",
    });
    as.locale = "en";
    const taken = await run(saveProjectAction, form(projectFields(seededProject.slug, offeringId)));
    expect((taken as State).fieldErrors).toEqual({ slug: "This address name is already used." });
    const notImage = await run(saveProjectAction, form({ ...projectFields("with-cover", offeringId), cover: new File(["GIF89a not really"], "cover.png", { type: "image/png" }) }));
    expect((notImage as State).fieldErrors).toEqual({ cover: "Only JPEG, PNG and WebP images can be uploaded." });
  });

  it("creates a draft with yen as typed by a person, edits it, publishes it, and audits each step", async () => {
    as.user = staff;
    const created = await run(saveProjectAction, form({ ...projectFields("boardwalk", offeringId), cover: new File([jpegWithGps()], "IMG_0001.JPG", { type: "image/jpeg" }) }));
    expect(created).toMatchObject({ redirect: expect.stringMatching(/^\/staff\/projects\/[0-9a-f-]{36}$/) });
    const [row] = await db().select().from(projects).where(eq(projects.slug, "boardwalk"));
    expect(row).toMatchObject({ budgetYen: 1_200_000, publishedAt: null, status: "planned" });
    expect(row!.coverImageId).toBeTruthy();
    expect(await getPublishedProject("boardwalk")).toBeNull();

    expect(await run(saveProjectAction, form({ ...projectFields("boardwalk", offeringId), projectId: row!.id, status: "in_progress" }))).toEqual({ status: "ok", message: "保存しました。" });
    expect(await run(setProjectPublishedAction, form({ projectId: row!.id, publish: "true" }))).toEqual({ status: "ok", message: "公開しました。" });
    const published = await getPublishedProject("boardwalk");
    expect(published?.project.status).toBe("in_progress");
    expect(published?.cover?.id).toBe(row!.coverImageId);
    // A published project keeps its address.
    expect(await run(saveProjectAction, form({ ...projectFields("boardwalk-2", offeringId), projectId: row!.id }))).toMatchObject({
      fieldErrors: { slug: "公開中の事業のURL用の名前は変更できません。" },
    });

    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, row!.id), eq(auditLog.actorId, staff.id)));
    expect(audit.map((entry) => entry.action)).toEqual(["project.created", "project.updated", "project.published"]);
    expect(audit[1]!.detail).toMatchObject({ changed: ["status"], before: { status: "planned" } });
  });
});

describe("updates, notifications and history", () => {
  it("posts a photo update as a draft, publishes it, tells holders in the app and by email, and keeps history on edit", async () => {
    const holder = await makeUser();
    const quietHolder = await makeUser();
    const former = await makeUser();
    const bystander = await makeUser();
    await db()
      .insert(ledgerEntries)
      .values([
        { kind: "tokens_allocated", offeringId, userId: holder.id, units: 10 },
        { kind: "tokens_allocated", offeringId, userId: quietHolder.id, units: 3 },
        { kind: "tokens_allocated", offeringId, userId: former.id, units: 2 },
        { kind: "tokens_clawed_back", offeringId, userId: former.id, units: -2 },
      ]);
    as.user = quietHolder;
    expect(await run(saveEmailPreferenceAction, form({}))).toEqual({ status: "ok", message: "メール通知の設定を保存しました。" });

    as.user = staff;
    const created = await run(
      saveUpdateAction,
      form({ ...updateFields(seededProject.id), images: [new File([jpegWithGps()], "IMG_0002.JPG"), new File([PNG_1x1], "map.png")] as unknown as string[] }),
    );
    expect(created).toMatchObject({ redirect: expect.stringMatching(new RegExp(`^/staff/projects/${seededProject.id}/updates/[0-9a-f-]{36}$`)) });
    const updateId = (created as { redirect: string }).redirect.split("/").pop()!;
    const [draft] = await db().select().from(projectUpdates).where(eq(projectUpdates.id, updateId));
    expect(draft).toMatchObject({ publishedAt: null, revision: 1, figures: [{ kind: "path_metres", value: 100 }], authorId: staff.id });

    // The photo is stored stripped of its location, and nobody but staff can see a draft's photo.
    const photos = await db().select().from(images).where(eq(images.uploadedBy, staff.id));
    const photo = photos.find((image) => image.purpose === "update" && image.contentType === "image/jpeg")!;
    as.user = null;
    expect((await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: photo.id }) })).status).toBe(404);
    as.user = staff;
    const staffView = await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: photo.id }) });
    expect(staffView.status).toBe(200);
    expect(staffView.headers.get("cache-control")).toBe("private, no-store");
    const served = Buffer.from(await staffView.arrayBuffer());
    expect(served.includes(GPS_LATITUDE_BYTES) || served.includes(Buffer.from(CAMERA_MAKE))).toBe(false);

    expect(await run(setUpdatePublishedAction, form({ updateId, publish: "true" }))).toEqual({ status: "ok", message: "公開しました。2人の保有者にお知らせしました。" });
    expect(await run(setUpdatePublishedAction, form({ updateId, publish: "true" }))).toMatchObject({ message: "公開しました。0人の保有者にお知らせしました。" });
    expect(await unreadCount(holder.id)).toBe(1);
    expect(await unreadCount(quietHolder.id)).toBe(1);
    expect(await unreadCount(former.id)).toBe(0);
    expect(await unreadCount(bystander.id)).toBe(0);

    await runScheduled();
    const mail = await db().select().from(devMailbox).where(eq(devMailbox.to, holder.email));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe("【百年の森 間伐事業】新しい進捗報告: 木道の着工");
    expect(mail[0]!.text).toContain("最初の100mができました。");
    expect(mail[0]!.link).toBe(`http://localhost:3000/projects/forest-thinning#update-${updateId}`);
    expect(await db().select().from(devMailbox).where(eq(devMailbox.to, quietHolder.email))).toHaveLength(0);
    const statuses = await db().select({ userId: notifications.userId, emailStatus: notifications.emailStatus }).from(notifications).where(eq(notifications.updateId, updateId));
    expect(Object.fromEntries(statuses.map((row) => [row.userId, row.emailStatus]))).toEqual({ [holder.id]: "sent", [quietHolder.id]: "skipped" });

    // Published: the photo is public, the update is on the project page and in the feed.
    as.user = null;
    const publicView = await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: photo.id }) });
    expect(publicView.status).toBe(200);
    expect(publicView.headers.get("content-type")).toBe("image/jpeg");
    expect(publicView.headers.get("x-content-type-options")).toBe("nosniff");
    const page = await getPublishedProject("forest-thinning");
    const shown = page!.updates.find((update) => update.id === updateId)!;
    expect(shown.images).toHaveLength(2);
    const feed = await (await getFeed(new Request("http://localhost/feed.xml"))).text();
    expect(feed).toContain("<title>木道の着工</title>");
    expect(feed).toContain(`<id>urn:uuid:${updateId}</id>`);
    expect(feed).toContain(`http://localhost:3000/api/images/${photo.id}`);

    as.user = holder;
    expect((await listNotifications(holder.id))[0]).toMatchObject({ updateId, titleJa: "木道の着工", projectSlug: "forest-thinning", readAt: null });
    expect(await run(markAllReadAction, form({}))).toEqual({ status: "ok" });
    expect(await unreadCount(holder.id)).toBe(0);

    // Editing the published update keeps what readers saw before.
    as.user = staff;
    expect(await run(saveUpdateAction, form({ ...updateFields(seededProject.id), updateId, titleJa: "木道の着工（訂正）", removeImageIds: photo.id }))).toMatchObject({ status: "ok" });
    expect(await run(saveUpdateAction, form({ ...updateFields(seededProject.id), updateId, titleJa: "木道の着工（再訂正）" }))).toMatchObject({ status: "ok" });
    const [edited] = await db().select().from(projectUpdates).where(eq(projectUpdates.id, updateId));
    expect(edited).toMatchObject({ titleJa: "木道の着工（再訂正）", revision: 3 });
    expect(edited!.editedAt).toBeInstanceOf(Date);
    const revisions = await db().select().from(projectUpdateRevisions).where(eq(projectUpdateRevisions.updateId, updateId));
    expect(revisions.map((revision) => [revision.revision, revision.titleJa, revision.imageIds.length])).toEqual([
      [1, "木道の着工", 2],
      [2, "木道の着工（訂正）", 1],
    ]);
    await expect(db().update(projectUpdateRevisions).set({ titleJa: "改ざん" }).where(eq(projectUpdateRevisions.updateId, updateId))).rejects.toThrow();
    // A photo taken off the update is no longer public.
    as.user = null;
    expect((await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: photo.id }) })).status).toBe(404);
    // Editing does not notify again.
    expect((await db().select().from(notifications).where(eq(notifications.updateId, updateId))).length).toBe(2);

    const actions = (await db().select().from(auditLog).where(eq(auditLog.targetId, updateId))).map((entry) => entry.action);
    expect(actions).toEqual(["update.created", "update.published", "update.edited", "update.edited"]);
  });

  it("refuses to publish an update of a draft project", async () => {
    as.user = staff;
    await run(saveProjectAction, form(projectFields("draft-only", offeringId)));
    const [draft] = await db().select().from(projects).where(eq(projects.slug, "draft-only"));
    const created = (await run(saveUpdateAction, form(updateFields(draft!.id)))) as { redirect: string };
    const updateId = created.redirect.split("/").pop()!;
    expect(await run(setUpdatePublishedAction, form({ updateId, publish: "true" }))).toEqual({ status: "error", message: "先に事業を公開してください。" });
  });
});

describe("use of proceeds", () => {
  it("records spending with a staff-only receipt; totals and funding are derived", async () => {
    as.user = staff;
    const [trail] = await db().select().from(projects).where(eq(projects.slug, "forest-trail"));
    const bad = await run(recordSpendingAction, form({ projectId: trail!.id, spentOn: "2099-01-01", amountYen: "0", descriptionJa: "", descriptionEn: "x" }));
    expect((bad as State).fieldErrors).toMatchObject({ spentOn: expect.stringMatching(/今日まで/), amountYen: expect.stringMatching(/整数/), descriptionJa: "入力してください。" });
    const big = new File([PNG_1x1, Buffer.alloc(5 * 1024 * 1024)], "receipt.png");
    expect(await run(recordSpendingAction, form({ projectId: trail!.id, spentOn: "2026-11-01", amountYen: "10", descriptionJa: "a", descriptionEn: "a", receipt: big }))).toMatchObject({
      fieldErrors: { receipt: "画像が大きすぎます。5MB以下にしてください。" },
    });
    const traversal = new File([PNG_1x1], "../../../etc/cron.d/x.png");
    expect(await run(recordSpendingAction, form({ projectId: trail!.id, spentOn: "2026-11-01", amountYen: "10", descriptionJa: "a", descriptionEn: "a", receipt: traversal }))).toMatchObject({
      fieldErrors: { receipt: "ファイル名が正しくありません。" },
    });

    for (const [spentOn, amountYen, receipt] of [
      ["2026-11-01", "120,000", new File([PNG_1x1], "receipt.png")],
      ["2026-11-10", "30000", undefined],
    ] as const) {
      const fields: Record<string, string | Blob> = { projectId: trail!.id, spentOn, amountYen, descriptionJa: "木道資材", descriptionEn: "Boardwalk timber" };
      if (receipt) fields.receipt = receipt;
      expect(await run(recordSpendingAction, form(fields))).toEqual({ status: "ok", message: "支出を記録しました。" });
    }
    const rows = await db().select().from(projectSpending).where(eq(projectSpending.projectId, trail!.id));
    expect(rows.map((row) => row.spentOn.toISOString()).sort()).toEqual(["2026-10-31T15:00:00.000Z", "2026-11-09T15:00:00.000Z"]);
    const receiptId = rows.find((row) => row.receiptImageId)!.receiptImageId!;
    for (const who of [null, investor]) {
      as.user = who;
      expect((await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: receiptId }) })).status).toBe(404);
    }

    // The offering received ¥850,000; budgets 4,000,000 + 3,000,000 + 1,500,000 + 1,200,000 (boardwalk) share it.
    await db().insert(ledgerEntries).values({ kind: "yen_received", offeringId, yen: 850_000 });
    const page = await getPublishedProject("forest-trail");
    expect(page!.figures).toEqual({ budgetYen: 1_500_000, spentYen: 150_000, fundedYen: Math.floor((850_000 * 1_500_000) / 9_700_000) });
    expect(page!.spending.map((entry) => entry.hasReceipt)).toEqual([false, true]);
    expect(page!.timeline.at(-1)).toMatchObject({ spentYen: 150_000, fundedYen: page!.figures.fundedYen });

    as.user = staff;
    expect(await run(removeSpendingAction, form({ spendingId: rows[0]!.id }))).toEqual({ status: "ok", message: "支出を削除しました。" });
    expect(await run(removeSpendingAction, form({ spendingId: rows[0]!.id }))).toMatchObject({ status: "error" });
    const [removal] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "spending.removed"), eq(auditLog.targetId, rows[0]!.id)));
    expect(removal!.detail).toMatchObject({ amountYen: rows[0]!.amountYen, descriptionJa: "木道資材" });
  });
});
