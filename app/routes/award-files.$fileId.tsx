import type { LoaderFunctionArgs } from "@remix-run/node";
import fs from "node:fs/promises";
import { requireUser } from "~/auth/guards.server";
import { fileTypeForMime, safeDownloadName } from "~/domain/file-type";
import { findAwardFileFor } from "~/models/award.server";
import { storedFilePath } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

/**
 * Downloads one award file (condition or report evidence), only to an
 * administrator or a member of the award's group; anyone else gets 404.
 * Always as a download, with the type found when it was uploaded.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const file = await findAwardFileFor(getDb(), user, params.fileId ?? "");
  if (!file) throw notFound("We could not find that file.");
  const type = fileTypeForMime(file.mime_type);
  if (!type) throw notFound("We could not find that file.");
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(storedFilePath(file.stored_name));
  } catch {
    throw notFound("We could not find that file.");
  }
  const name = safeDownloadName(file.original_name, type);
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
