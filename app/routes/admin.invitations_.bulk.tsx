import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { readVerifiedMultipart } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { FileField } from "~/components/ui/file-field";
import { TextareaField } from "~/components/ui/textarea-field";
import {
  BULK_INVITE_COLUMNS,
  BULK_INVITE_HELP,
  MAX_BULK_INVITE_BYTES,
  MAX_BULK_INVITE_ROWS,
  sendableRows,
  type BulkInviteCheck,
} from "~/domain/bulk-invitations";
import { CONSTITUENCY_LABELS, ROLE_LABELS } from "~/domain/roles";
import { checkBulkInvitationFile, sendBulkInvitations } from "~/services/bulk-invitations.server";
import { getDb } from "~/utils/db.server";
import { readSubmission } from "~/utils/forms.server";
import { badRequest } from "~/utils/http.server";

const copy = {
  title: "Invite people from a file",
  intro:
    "Invite a whole round's panel members, advisers and lead organisation staff at once. Upload a CSV file with one person on each row. First you see every row and any problem with it. Nothing is sent until you press the send button.",
  single: "Invite one person instead",
  how: "How it works",
  rules: [
    "Rows with a problem are not sent. The preview lists each one with its problem, so you can fix it and send that row later.",
    "Every row without a problem is sent together, in one go. Each person gets an email with a link that works once and expires after 7 days.",
    "Someone who already has that role, or has an invitation to it that has not expired, is not invited twice.",
    "Administrators are not invited from a file. Invite each one on the Invite someone page.",
    `Up to ${MAX_BULK_INVITE_ROWS} people in a file of 1 MB or less. Save the spreadsheet as "CSV UTF-8".`,
  ],
  template: "Download the template (CSV)",
  columns: "The columns",
  columnsCaption: "Columns in the invitation file",
  columnHeadings: ["Column", "What to put"],
  form: "Your file",
  file: "Upload a CSV file",
  fileHint: "1 MB or smaller. If you choose a file, the box below is ignored.",
  paste: "Or paste the CSV here",
  pasteHint: "Copy the rows from your spreadsheet, header row first.",
  check: "Check the file",
  nothing: "Choose a CSV file, or paste the rows into the box",
  tooBig: "The file is bigger than 1 MB. Split it into smaller files and send each one.",
  notCsv: 'This is not a CSV file. In your spreadsheet, choose "Save As", then "CSV UTF-8", and upload that file.',
  fileProblem: "The file cannot be used",
  preview: "Check the rows",
  previewCaption: "Each row of the file and what will happen to it",
  previewHeadings: ["Row", "Name", "Email", "Role", "Group or organisation", "What happens"],
  willSend: "Will be invited",
  summary: (ok: number, bad: number) =>
    `${ok} ${ok === 1 ? "person" : "people"} will be invited. ${bad === 0 ? "No row has a problem." : `${bad} ${bad === 1 ? "row has a problem and will not be sent" : "rows have problems and will not be sent"}.`} Nothing has been sent yet.`,
  send: (n: number) => `Send ${n} ${n === 1 ? "invitation" : "invitations"}`,
  kept: (name: string) => `The checked file${name ? ` "${name}"` : ""} is kept: you do not need to choose it again.`,
  noneToSend: "No row can be sent. Fix the problems and check the file again.",
  changed: "Something changed since you checked the file, so nothing was sent. Check the rows again below.",
  sent: (n: number) => `${n} ${n === 1 ? "invitation" : "invitations"} sent.`,
  notSentTitle: (n: number) => `${n} ${n === 1 ? "row was" : "rows were"} not sent`,
  sentCaption: "Invitations sent",
  sentHeadings: ["Row", "Email"],
  notSentCaption: "Rows not sent, with the reason",
  notSentHeadings: ["Row", "Email", "Problem"],
  outbox: "See the emails in the outbox",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "invitation.create");
  return json({});
}

type PreviewRow = BulkInviteCheck["rows"][number];

interface ActionData {
  errors?: Record<string, string>;
  values?: { csv?: string };
  fileErrors?: string[];
  preview?: { rows: PreviewRow[]; sendable: number };
  /** The checked file's text, sent back in a hidden field so the send step needs no second choice of file. */
  kept?: { csv: string; fileName: string };
  changed?: boolean;
  sent?: { row: number; email: string }[];
  notSent?: PreviewRow[];
}

/** Zip files (xlsx) start "PK"; old .xls files start with the OLE signature; NUL never appears in a text file. */
const looksBinary = (bytes: Uint8Array) =>
  (bytes[0] === 0x50 && bytes[1] === 0x4b) || (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) || bytes.includes(0);

/** Browsers label a .csv file in several ways (Excel on Windows says vnd.ms-excel); anything else is not a CSV. */
const CSV_TYPES = ["", "text/csv", "text/plain", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel", "application/octet-stream"];
const isCsvFile = (file: File) => /\.(csv|txt)$/i.test(file.name) && CSV_TYPES.includes(file.type.split(";")[0]!.trim().toLowerCase());

const text = (form: FormData, name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "invitation.create");
  let form: FormData;
  try {
    form = await readVerifiedMultipart(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BULK_INVITE_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return json<ActionData>({ errors: { file: copy.tooBig } }, { status: 413 });
    throw error;
  }
  const pasted = text(form, "csv");
  const values = { csv: pasted };
  const file = form.get("file");
  let csv = pasted;
  let kept: ActionData["kept"];
  if (typeof file === "object" && file !== null && file.size > 0) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!isCsvFile(file) || looksBinary(bytes)) return badRequest<ActionData>({ errors: { file: copy.notCsv }, values });
    try {
      csv = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return badRequest<ActionData>({ errors: { file: copy.notCsv }, values });
    }
    kept = { csv, fileName: file.name.slice(0, 255) };
  } else if (text(form, "keptCsv").trim()) {
    csv = text(form, "keptCsv");
    kept = { csv, fileName: text(form, "keptFileName").slice(0, 255) };
  }
  if (!csv.trim()) return badRequest<ActionData>({ errors: { file: copy.nothing }, values });
  kept ??= { csv, fileName: "" };

  const preview = (check: BulkInviteCheck) => ({ rows: check.rows, sendable: sendableRows(check).length });
  if (form.get("intent") !== "send") {
    const check = await checkBulkInvitationFile(getDb(), csv);
    if (check.fileErrors.length) return badRequest<ActionData>({ fileErrors: check.fileErrors, values });
    return json<ActionData>({ preview: preview(check), kept, values });
  }
  const confirmed = Number.parseInt(text(form, "confirmedCount"), 10);
  const outcome = await sendBulkInvitations(getDb(), admin, csv, Number.isFinite(confirmed) ? confirmed : -1, { submission: readSubmission(form) });
  if (!outcome.ok) {
    if (outcome.check.fileErrors.length) return badRequest<ActionData>({ fileErrors: outcome.check.fileErrors, values });
    return badRequest<ActionData>({ changed: true, preview: preview(outcome.check), kept, values });
  }
  return json<ActionData>({ sent: outcome.sent.map(({ row, email }) => ({ row, email })), notSent: outcome.notSent });
}

function roleText(r: PreviewRow) {
  if (!r.role) return "";
  return r.constituency ? `${ROLE_LABELS[r.role]} (${CONSTITUENCY_LABELS[r.constituency]})` : ROLE_LABELS[r.role];
}

function Problems({ errors }: { errors: string[] }) {
  if (errors.length === 0) return <>{copy.willSend}</>;
  return (
    <ul className="m-0 list-disc pl-5 font-semibold text-red-800">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

export default function BulkInvitations() {
  const data = useActionData<typeof action>() as ActionData | undefined;
  const preview = data?.preview;
  const problems = preview ? preview.rows.length - preview.sendable : 0;
  return (
    <div>
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <p>
        <Link to="/admin/invitations">{copy.single}</Link>
      </p>
      <ErrorSummary errors={data?.errors} />
      {data?.fileErrors?.length ? (
        <div role="alert" className="mb-8 border-4 border-red-700 p-4">
          <h2 className="mt-0 text-xl">{copy.fileProblem}</h2>
          <ul className="list-disc pl-6">
            {data.fileErrors.map((e) => (
              <li key={e} className="font-semibold text-red-800">
                {e}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {data?.sent ? (
        <div role="status" className="panel">
          <p className="font-semibold">{copy.sent(data.sent.length)}</p>
          <DataTable caption={copy.sentCaption} columns={copy.sentHeadings}>
            {data.sent.map((s) => (
              <tr key={s.row}>
                <td>{s.row}</td>
                <td className="break-all">{s.email}</td>
              </tr>
            ))}
          </DataTable>
          {data.notSent?.length ? (
            <>
              <h2>{copy.notSentTitle(data.notSent.length)}</h2>
              <DataTable caption={copy.notSentCaption} columns={copy.notSentHeadings}>
                {data.notSent.map((r) => (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    <td className="break-all">{r.email}</td>
                    <td>
                      <Problems errors={r.errors} />
                    </td>
                  </tr>
                ))}
              </DataTable>
            </>
          ) : null}
          <p className="mb-0">
            <Link to="/admin/outbox">{copy.outbox}</Link>
          </p>
        </div>
      ) : null}

      {preview && data?.kept ? (
        <section aria-labelledby="preview-heading" className="mb-8">
          <h2 id="preview-heading">{copy.preview}</h2>
          {data.changed ? (
            <p role="alert" className="font-semibold text-red-800">
              {copy.changed}
            </p>
          ) : null}
          <p role="status" className="font-semibold">
            {copy.summary(preview.sendable, problems)}
          </p>
          <DataTable caption={copy.previewCaption} columns={copy.previewHeadings}>
            {preview.rows.map((r) => (
              <tr key={r.row}>
                <td>{r.row}</td>
                <td>{r.name}</td>
                <td className="break-all">{r.email}</td>
                <td>{roleText(r)}</td>
                <td>{r.placeName}</td>
                <td>
                  <Problems errors={r.errors} />
                </td>
              </tr>
            ))}
          </DataTable>
          {preview.sendable > 0 ? (
            <Form method="post" encType="multipart/form-data" className="mt-6">
              <CsrfInput />
              <input type="hidden" name="keptCsv" value={data.kept.csv} />
              <input type="hidden" name="keptFileName" value={data.kept.fileName} />
              <input type="hidden" name="confirmedCount" value={preview.sendable} />
              <p>{copy.kept(data.kept.fileName)}</p>
              <button type="submit" name="intent" value="send" className="btn">
                {copy.send(preview.sendable)}
              </button>
            </Form>
          ) : (
            <p className="font-semibold">{copy.noneToSend}</p>
          )}
        </section>
      ) : null}

      <Form method="post" encType="multipart/form-data" className="mb-8 border-2 border-slate-300 p-4">
        {/* The token goes first, so the server checks it before reading any file. */}
        <CsrfInput />
        <h2 className="mt-0">{copy.form}</h2>
        <FileField name="file" label={copy.file} hint={copy.fileHint} error={data?.errors?.file} accept=".csv,text/csv" />
        <TextareaField name="csv" label={copy.paste} hint={copy.pasteHint} defaultValue={data?.values?.csv} rows={8} className="input font-mono text-sm" />
        <button type="submit" name="intent" value="check" className="btn">
          {copy.check}
        </button>
      </Form>

      <h2>{copy.how}</h2>
      <ul className="max-w-3xl list-disc space-y-2 pl-6">
        {copy.rules.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <p>
        <a href="/admin/invitations/bulk-template.csv" download>
          {copy.template}
        </a>
      </p>
      <h2>{copy.columns}</h2>
      <DataTable caption={copy.columnsCaption} columns={copy.columnHeadings} className="table text-sm">
        {BULK_INVITE_COLUMNS.map((c) => (
          <tr key={c}>
            <th scope="row">
              <code>{c}</code>
            </th>
            <td>{BULK_INVITE_HELP[c]}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
