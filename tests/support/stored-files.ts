import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { action as attachmentsAction } from "~/routes/proposals.$proposalId.attachments";
import type { DB } from "../../db/client";
import { fileStore } from "~/utils/file-store.server";
import { csrfFor, ORIGIN, runAction } from "./http";

/**
 * The names of every uploaded file the portal's file store holds, whichever
 * store it is (UPLOADS_DIR on SQLite, the stored_file table on PostgreSQL,
 * docs/decisions/0054), so a test can say "nothing was stored" on both.
 */
export async function storedFileNames(db: DB): Promise<string[]> {
  if (fileStore(db).storage === "database") {
    return (await db.selectFrom("stored_file").select("stored_name").orderBy("stored_name").execute()).map((r) => r.stored_name);
  }
  const dir = process.env.UPLOADS_DIR!;
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** Uploads a file to a proposal through its files page's form (multipart, with the form token unless `csrf` is false). */
export async function upload(proposalId: string, cookie: string, file: { name: string; bytes: Uint8Array; type?: string }, options: { csrf?: boolean } = {}) {
  const { token, cookie: csrfCookie } = await csrfFor();
  const body = new FormData();
  if (options.csrf !== false) body.append("csrf", token);
  body.append("submissionKey", randomUUID());
  body.append("intent", "upload");
  body.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? "application/octet-stream" }), file.name);
  const request = new Request(`${ORIGIN}/proposals/${proposalId}/attachments`, {
    method: "POST",
    body,
    headers: { Origin: ORIGIN, Cookie: `${csrfCookie}; ${cookie}` },
  });
  return runAction(attachmentsAction, request, { proposalId });
}
