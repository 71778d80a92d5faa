import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { projects, projectSpending } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { projectIdsOf } from "@/lib/issuers/scope";
import { checkImageFile, type ImageError } from "@/lib/uploads/image-check";
import { withStoredFiles } from "@/lib/uploads/images";
import { tokyoDate } from "./dates";
import type { SpendingInput } from "./schemas";

export type RecordSpendingResult = { ok: true; spendingId: string } | { ok: false; error: "notFound" } | { ok: false; error: "image"; imageError: ImageError };

/** One payment out of the proceeds; the project's totals are always summed from these rows. */
export async function recordSpending(input: SpendingInput, actorId: string, uploadDir: string, issuerIds: readonly string[]): Promise<RecordSpendingResult> {
  const receipt = input.receipt ? await checkImageFile(input.receipt) : null;
  if (receipt && !receipt.ok) return { ok: false, error: "image", imageError: receipt.error };
  const db = getDb();
  return withStoredFiles(uploadDir, (files) =>
    db.transaction(async (tx): Promise<RecordSpendingResult> => {
      const [project] = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.id, input.projectId), inArray(projects.id, projectIdsOf(issuerIds, tx))));
      if (!project) return { ok: false, error: "notFound" };
      const receiptImageId = receipt?.ok ? (await files.save(tx, receipt.image, "receipt", actorId)).id : null;
      const [row] = await tx
        .insert(projectSpending)
        .values({
          projectId: project.id,
          spentOn: input.spentOn,
          amountYen: input.amountYen,
          descriptionJa: input.descriptionJa,
          descriptionEn: input.descriptionEn,
          receiptImageId,
          recordedBy: actorId,
        })
        .returning({ id: projectSpending.id });
      await recordAudit(tx, {
        actorId,
        action: "spending.recorded",
        targetType: "project_spending",
        targetId: row!.id,
        detail: { projectId: project.id, amountYen: input.amountYen, spentOn: tokyoDate(input.spentOn), receipt: receiptImageId !== null },
      });
      return { ok: true, spendingId: row!.id };
    }),
  );
}

/** Removes a mistaken entry; the audit log keeps what it said. */
export async function removeSpending(spendingId: string, actorId: string, issuerIds: readonly string[]): Promise<{ ok: true; projectId: string } | { ok: false }> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .delete(projectSpending)
      .where(and(eq(projectSpending.id, spendingId), inArray(projectSpending.projectId, projectIdsOf(issuerIds, tx))))
      .returning();
    if (!row) return { ok: false as const };
    await recordAudit(tx, {
      actorId,
      action: "spending.removed",
      targetType: "project_spending",
      targetId: row.id,
      detail: {
        projectId: row.projectId,
        amountYen: row.amountYen,
        spentOn: tokyoDate(row.spentOn),
        descriptionJa: row.descriptionJa,
        descriptionEn: row.descriptionEn,
        receiptImageId: row.receiptImageId,
      },
    });
    return { ok: true as const, projectId: row.projectId };
  });
}
