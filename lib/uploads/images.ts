import "server-only";
import type { DbOrTx } from "@/db/client";
import { images, type Image } from "@/db/schema";
import type { CheckedImage } from "./image-check";
import { type UploadStorage, uploadStorage } from "./storage";

export type ImagePurpose = Image["purpose"];

/** Files written for a unit of work, so they can be removed again if its transaction fails. */
export class StoredFiles {
  private keys: string[] = [];
  private readonly storage: UploadStorage;
  /** `root`: the upload directory, used only when no object storage is configured. */
  constructor(root: string) {
    this.storage = uploadStorage(root);
  }

  /** Writes the cleaned bytes under a generated name and records the image in the transaction. */
  async save(tx: DbOrTx, image: CheckedImage, purpose: ImagePurpose, uploadedBy: string | null) {
    const storageKey = await this.storage.put("images", image.bytes, image.type);
    this.keys.push(storageKey);
    const [row] = await tx.insert(images).values({ storageKey, contentType: image.type, width: image.width, height: image.height, sizeBytes: image.bytes.length, purpose, uploadedBy }).returning();
    return row!;
  }

  async discard(): Promise<void> {
    await Promise.all(this.keys.map((key) => this.storage.delete(key).catch(() => undefined)));
    this.keys = [];
  }
}

/** Runs work that may store files; if it throws, the files it wrote are removed. */
export async function withStoredFiles<T>(root: string, work: (files: StoredFiles) => Promise<T>): Promise<T> {
  const files = new StoredFiles(root);
  try {
    return await work(files);
  } catch (error) {
    await files.discard();
    throw error;
  }
}
