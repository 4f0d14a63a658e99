import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { findAttachment } from "~/models/attachment.server";
import { findProposalFor } from "~/models/proposal.server";
import { getDb } from "~/utils/db.server";
import { storedFileResponse } from "~/utils/file-download.server";
import { notFound } from "~/utils/http.server";

/** Downloads one attachment, only to someone who may see its proposal; anyone else gets 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const attachment = await findAttachment(db, params.attachmentId ?? "");
  if (!attachment || !(await findProposalFor(db, user, attachment.proposal_id))) throw notFound("We could not find that file.");
  return storedFileResponse(db, attachment);
}
