import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { findAwardFileFor } from "~/models/award.server";
import { getDb } from "~/utils/db.server";
import { storedFileResponse } from "~/utils/file-download.server";
import { notFound } from "~/utils/http.server";

/** Downloads one award file (condition or report evidence), only to an administrator or a member of the award's group; anyone else gets 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const file = await findAwardFileFor(db, user, params.fileId ?? "");
  if (!file) throw notFound("We could not find that file.");
  return storedFileResponse(db, file);
}
