import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, type UploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { readVerifiedMultipart } from "~/auth/csrf.server";
import { requireUser } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AddForm } from "~/components/ui/add-form";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { formatBytes, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from "~/domain/file-type";
import { NoFieldsSchema } from "~/domain/forms/fields";
import { can, type Actor } from "~/domain/permissions";
import { formatDate } from "~/domain/phases";
import { isEditable, STATUS_LABELS } from "~/domain/proposal-status";
import { listAttachments } from "~/models/attachment.server";
import { findProposalFor, proposalFacts } from "~/models/proposal.server";
import { addAttachment, removeAttachment, TOO_LARGE } from "~/services/attachments.server";
import { getDb } from "~/utils/db.server";
import type { FormActionData } from "~/utils/forms";
import { formError, submitForm } from "~/utils/forms.server";
import { forbidden, notFound } from "~/utils/http.server";
import { scrollRegion } from "~/components/ui/data-table";

const copy = {
  title: "Files for your proposal",
  intro: `You can attach up to ${MAX_ATTACHMENTS} files, such as quotes, plans or photos. Each file must be a PDF, JPEG, PNG or Word document (.docx) of 10 MB or smaller.`,
  file: "Choose a file",
  fileHint: "PDF, JPEG, PNG or Word (.docx), up to 10 MB.",
  upload: "Upload file",
  attached: "Attached files",
  caption: "Files attached to this proposal",
  none: "No files attached yet.",
  name: "File",
  size: "Size",
  added: "Added",
  action: "Action",
  remove: "Remove",
  removeLabel: (name: string) => `Remove ${name}`,
  full: `This proposal already has ${MAX_ATTACHMENTS} files. Remove one before you add another.`,
  uploaded: "Your file has been uploaded.",
  removed: "The file has been removed.",
  notEditable: (status: string) => `This proposal is "${status}", so files cannot be added or removed now.`,
  backEdit: "Back to the proposal form",
  backProposal: "Back to the proposal",
  noFile: "Choose a file to upload",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

/** 403 for a hat that never writes proposals (checked before anything is read). */
async function requireWriter(request: Request): Promise<Actor> {
  const user = await requireUser(request);
  if (!can(user, "proposals.write")) throw forbidden();
  return user;
}

/**
 * The proposal and whether this person may change its files now: 404 when they
 * may not read it, 403 when they may read it but never change it (a lead
 * organisation reading a group's own proposal) while it is open to change.
 */
async function requireFilesOf(user: Actor, proposalId: string | undefined) {
  const db = getDb();
  const proposal = await findProposalFor(db, user, proposalId ?? "");
  if (!proposal) throw notFound();
  const canChange = can(user, "attachment.change", { type: "attachment", proposal: await proposalFacts(db, proposal, user) });
  if (isEditable(proposal.status) && !canChange) throw forbidden();
  return { proposal, canChange };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireWriter(request);
  const { proposal, canChange } = await requireFilesOf(user, params.proposalId);
  const attachments = await listAttachments(getDb(), proposal.id);
  return json({
    proposal: { id: proposal.id, title: proposal.title, reference: proposal.reference, statusLabel: STATUS_LABELS[proposal.status] },
    isEditable: canChange,
    attachments: attachments.map((a) => ({ id: a.id, name: a.original_name, size: formatBytes(a.size_bytes), added: formatDate(a.created_at) })),
  });
}

const FIELDS = new Set(["file", "intent", "attachmentId"]);

/**
 * Keeps at most one file of 10 MB and a few small fields in memory. Anything
 * else means the post did not come from our form, so reading stops (403).
 */
function uploadHandler(): UploadHandler {
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTACHMENT_BYTES });
  let parts = 0;
  return (part) => {
    parts += 1;
    if (parts > FIELDS.size || !FIELDS.has(part.name) || (part.filename !== undefined && part.name !== "file")) {
      throw new Error(`Unexpected form part: ${part.name}`);
    }
    return memory(part);
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  let form: FormData;
  try {
    form = await readVerifiedMultipart(request, uploadHandler());
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      await requireWriter(request);
      return formError({ file: TOO_LARGE });
    }
    throw error;
  }
  const user = await requireWriter(request);
  const db = getDb();
  const { proposal } = await requireFilesOf(user, params.proposalId);
  const base = `/proposals/${proposal.id}/attachments`;

  if (form.get("intent") === "remove") {
    return submitForm(form, NoFieldsSchema, async () => {
      await removeAttachment(db, user, proposal.id, String(form.get("attachmentId") ?? ""));
      return redirect(`${base}?removed=1`);
    });
  }

  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && !file.name)) return formError({ file: copy.noFile });
  return submitForm(form, NoFieldsSchema, async () => {
    await addAttachment(db, user, proposal.id, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return redirect(`${base}?uploaded=1`);
  });
}

export default function Attachments() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormActionData | undefined;
  const [search] = useSearchParams();
  const errors = actionData?.errors;
  const notice = errors ? null : search.get("uploaded") ? copy.uploaded : search.get("removed") ? copy.removed : null;
  const isFull = data.attachments.length >= MAX_ATTACHMENTS;
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      {notice ? (
        <p role="status" className="panel font-semibold">
          {notice}
        </p>
      ) : null}
      <p className="mb-1 text-slate-700">
        {data.proposal.reference} · {data.proposal.title}
      </p>
      <h1>{copy.title}</h1>
      {data.isEditable ? <p>{copy.intro}</p> : <p className="panel">{copy.notEditable(data.proposal.statusLabel)}</p>}

      {data.isEditable && !isFull ? (
        <AddForm method="post" encType="multipart/form-data" noValidate className="mb-8">
          {/* The token must come before the file, so a forged upload is refused before the file is read. */}
          <CsrfInput />
          <input type="hidden" name="intent" value="upload" />
          <div className={`mb-6 ${errors?.file ? "border-l-4 border-red-700 pl-3" : ""}`}>
            <label htmlFor="file" className="mb-1 block font-semibold">
              {copy.file}
            </label>
            <p id="file-hint" className="mb-1 text-slate-700">
              {copy.fileHint}
            </p>
            {errors?.file ? (
              <p id="file-error" className="mb-1 font-semibold text-red-800">
                <span className="sr-only">Error: </span>
                {errors.file}
              </p>
            ) : null}
            <input
              id="file"
              name="file"
              type="file"
              accept=".pdf,.jpg,.jpeg,.png,.docx,application/pdf,image/jpeg,image/png,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              aria-describedby={errors?.file ? "file-hint file-error" : "file-hint"}
              aria-invalid={errors?.file ? true : undefined}
              className="block w-full max-w-xl"
            />
          </div>
          <button type="submit" className="btn">
            {copy.upload}
          </button>
        </AddForm>
      ) : data.isEditable ? (
        <p className="font-semibold">{copy.full}</p>
      ) : null}

      <h2>{copy.attached}</h2>
      {data.attachments.length ? (
        <div {...scrollRegion(copy.caption)}>
          <table className="table">
            <caption className="sr-only">{copy.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.name}</th>
                <th scope="col">{copy.size}</th>
                <th scope="col">{copy.added}</th>
                {data.isEditable ? <th scope="col">{copy.action}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.attachments.map((a) => (
                <tr key={a.id}>
                  <td className="break-all">
                    <a href={`/attachments/${a.id}`} download>
                      {a.name}
                    </a>
                  </td>
                  <td className="whitespace-nowrap">{a.size}</td>
                  <td className="whitespace-nowrap">{a.added}</td>
                  {data.isEditable ? (
                    <td>
                      <Form method="post" encType="multipart/form-data">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="attachmentId" value={a.id} />
                        <button type="submit" className="btn-warning" aria-label={copy.removeLabel(a.name)}>
                          {copy.remove}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{copy.none}</p>
      )}

      <p className="mt-8">
        {data.isEditable ? (
          <Link to={`/proposals/${data.proposal.id}/edit`}>{copy.backEdit}</Link>
        ) : (
          <Link to={`/proposals/${data.proposal.id}`}>{copy.backProposal}</Link>
        )}
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
