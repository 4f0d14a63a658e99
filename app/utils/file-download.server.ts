import type { DB } from "../../db/client";
import { fileTypeForMime, safeDownloadName } from "~/domain/file-type";
import { fileStore } from "./file-store.server";
import { notFound } from "./http.server";

const GONE = "We could not find that file.";

/**
 * A stored upload as a download: always an attachment (never shown in the
 * page), with the type found when it was uploaded, sandboxed, never cached,
 * so a browser cannot be talked into running it. Throws 404 when it is gone.
 * The bytes come from the file store (disk or database, docs/decisions/0054).
 * The caller has already checked who may see it.
 */
export async function storedFileResponse(db: DB, file: { stored_name: string; original_name: string; mime_type: string }): Promise<Response> {
  const type = fileTypeForMime(file.mime_type);
  if (!type) throw notFound(GONE);
  let bytes: Buffer | null;
  try {
    bytes = await fileStore(db).get(file.stored_name);
  } catch {
    throw notFound(GONE);
  }
  if (!bytes) throw notFound(GONE);
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
