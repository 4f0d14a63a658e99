import type { LoaderFunctionArgs } from "@remix-run/node";
import fs from "node:fs/promises";
import { requireUser } from "~/auth/guards.server";
import { fileTypeForMime, safeDownloadName } from "~/domain/file-type";
import { findAttachment } from "~/models/attachment.server";
import { findProposalFor } from "~/models/proposal.server";
import { storedFilePath } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

/**
 * Downloads one attachment, only to someone who may see its proposal.
 * Always as a download (never shown in the page), with the type we found
 * when it was uploaded, so a browser cannot be talked into running it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const attachment = await findAttachment(db, params.attachmentId ?? "");
  if (!attachment) throw notFound("We could not find that file.");
  const proposal = await findProposalFor(db, user, attachment.proposal_id);
  if (!proposal) throw notFound("We could not find that file.");
  const type = fileTypeForMime(attachment.mime_type);
  if (!type) throw notFound("We could not find that file.");
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(storedFilePath(attachment.stored_name));
  } catch {
    throw notFound("We could not find that file.");
  }
  const name = safeDownloadName(attachment.original_name, type);
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      "Content-Type": type.mime,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
