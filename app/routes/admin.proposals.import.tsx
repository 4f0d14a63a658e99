import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedMultipart } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { FileField } from "~/components/ui/file-field";
import { TextareaField } from "~/components/ui/textarea-field";
import { formatPence } from "~/domain/money";
import { IMPORT_COLUMNS, IMPORTED_STATUS, MAX_IMPORT_ROWS } from "~/domain/proposal-import";
import { STATUS_LABELS } from "~/domain/proposal-status";
import { listDecisionGroups } from "~/models/directory.server";
import { checkProposalImport, importProposals } from "~/services/imports.server";
import { getDb } from "~/utils/db.server";
import { readSubmission } from "~/utils/forms.server";
import { badRequest } from "~/utils/http.server";
import { DataTable } from "~/components/ui/data-table";

const MAX_BYTES = 2_000_000;

const copy = {
  title: "Import proposals gathered offline",
  intro:
    "Some groups are not online. Their lead organisation gathers their outline proposals on paper or in a spreadsheet. Import them here as a CSV file, one proposal per row.",
  how: "How the import works",
  rules: [
    "The import is all or nothing. Every row is checked first; if any row has a problem, nothing is imported and each problem is listed by row.",
    "Row numbers match your spreadsheet: the header is row 1, so the first proposal is row 2.",
    `Imported proposals arrive as "${STATUS_LABELS[IMPORTED_STATUS]}", because they were gathered with the lead organisation. They appear in the lead organisation's new proposals, to support, ask for changes or decline as usual. They are kept as version 1, and each records that you imported it.`,
    'A community group is found by the community_group_identifier column first (its charity number, company number or portal id), then by its name, ignoring capitals, punctuation and "the". If two groups have the name, that row is refused until you add the identifier. If no group matches, a new community group is created with just that name (and the number and contact email, if given). Invite its first member from Community groups.',
    "If a new group's name is close to an existing group's, the check warns you. Import those rows only after ticking the box to say they are new groups, or use the existing group's exact name or portal id.",
    "The eligibility questions are not asked in the import. Check eligibility with the group when you screen the proposal.",
    `Import up to ${MAX_IMPORT_ROWS} proposals at a time. Save the spreadsheet as "CSV UTF-8" so that £ signs and accents survive.`,
  ],
  template: "Download the template (CSV)",
  columns: "The columns",
  columnsCaption: "Columns in the import file, in order",
  columnHeadings: ["Column", "Needed?", "What to put", "Example"],
  required: "Required",
  optional: "Optional",
  groups: "Decision group names",
  groupsCaption: "Decision groups and their grant limits",
  groupHeadings: ["Decision group", "Fund", "Minimum grant", "Maximum grant", "Pot"],
  form: "Your proposals",
  file: "Upload a CSV file",
  fileHint: "2 MB or smaller. If you choose a file, the box below is ignored.",
  paste: "Or paste the CSV here",
  pasteHint: "Copy the rows from your spreadsheet, header row first.",
  check: "Check without importing",
  import: "Import proposals",
  nothing: "Choose a CSV file, or paste the proposals into the box",
  tooBig: "The file must be 2 MB or smaller. Split it into smaller files and import each one.",
  workbook: 'This looks like an Excel workbook, not a CSV file. In Excel, choose "Save As", then "CSV UTF-8", and upload that file.',
  rowProblems: "Nothing was imported. Fix these problems and try again",
  chooseAgain: "Choose the file again after you fix it.",
  kept: (name: string) =>
    `The checked file${name ? ` "${name}"` : ""} is kept: press "Import proposals" to import it. You do not need to choose it again. To import a different file, choose it above.`,
  checked: (n: number) => `All ${n} ${n === 1 ? "row is" : "rows are"} ready to import. Nothing has been imported yet.`,
  checkedCaption: "Proposals ready to import",
  checkedHeadings: ["Row", "Title", "Community group", "Decision group", "Amount"],
  newGroup: "(new community group)",
  imported: (n: number) => `${n} ${n === 1 ? "proposal" : "proposals"} imported. The lead organisations have been told.`,
  importedCaption: "Imported proposals",
  importedHeadings: ["Row", "Reference", "Title"],
  createdGroups: "New community groups created:",
  warningsTitle: "Check these before you import",
  acceptWarnings: "These are new groups, not the existing groups named in the warnings: create them",
  confirmWarnings: "Tick the box to create the new groups named in the warnings, or change the rows to use the existing groups",
  screening: "Go to eligibility screening",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "proposal.import");
  return json({ groups: await listDecisionGroups(getDb()) });
}

interface ActionData {
  errors?: Record<string, string>;
  rowErrors?: string[];
  values?: { csv?: string };
  usedFile?: boolean;
  /** The checked file's text, sent back with the form so the import step needs no second choice of file. */
  kept?: { csv: string; fileName: string };
  checked?: {
    row: number;
    title: string;
    communityGroupName: string;
    isNewGroup: boolean;
    decisionGroupName: string;
    amountPence: number | null;
  }[];
  imported?: { id: string; reference: string; title: string; row: number }[];
  createdGroups?: string[];
  warnings?: string[];
}

/** Zip files (xlsx) start "PK\x03\x04"; old .xls files start with the OLE signature. */
const looksLikeWorkbook = (bytes: Uint8Array) =>
  (bytes[0] === 0x50 && bytes[1] === 0x4b) || (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0);

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "proposal.import");
  let form: FormData;
  try {
    form = await readVerifiedMultipart(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return badRequest<ActionData>({ errors: { file: copy.tooBig } });
    throw error;
  }
  const pasted = typeof form.get("csv") === "string" ? String(form.get("csv")) : "";
  const values = { csv: pasted.length <= MAX_BYTES ? pasted : "" };
  const file = form.get("file");
  // A file checked earlier comes back in a hidden field, in the file's place: a newly chosen file wins, then the
  // kept one, then the box (as the chosen file did). It is only text the administrator could paste, and the
  // import checks every row again inside its transaction, so it needs no signature.
  const keptCsv = typeof form.get("keptCsv") === "string" ? String(form.get("keptCsv")) : "";
  const keptName = typeof form.get("keptFileName") === "string" ? String(form.get("keptFileName")).slice(0, 255) : "";
  let text = pasted;
  let kept: ActionData["kept"];
  const usedFile = typeof file === "object" && file !== null && file.size > 0;
  if (usedFile) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (looksLikeWorkbook(bytes)) return badRequest<ActionData>({ errors: { file: copy.workbook }, values });
    text = new TextDecoder("utf-8").decode(bytes);
    kept = { csv: text, fileName: file.name.slice(0, 255) };
  } else if (keptCsv.trim() && keptCsv.length <= MAX_BYTES) {
    text = keptCsv;
    kept = { csv: keptCsv, fileName: keptName };
  }
  if (!text.trim()) return badRequest<ActionData>({ errors: { file: copy.nothing }, values });
  const isFromFile = Boolean(kept);

  if (form.get("intent") === "check") {
    const result = await checkProposalImport(getDb(), text);
    if (!result.ok) return badRequest<ActionData>({ rowErrors: result.errors, values, usedFile: isFromFile });
    return json<ActionData>({
      values,
      usedFile: isFromFile,
      kept,
      warnings: result.warnings,
      checked: result.rows.map((r) => ({
        row: r.row,
        title: r.content.title,
        communityGroupName: r.communityGroupName,
        isNewGroup: r.organisationId === null,
        decisionGroupName: r.decisionGroupName,
        amountPence: r.content.amountRequestedPence,
      })),
    });
  }
  const result = await importProposals(getDb(), admin, text, { areWarningsAccepted: form.get("acceptWarnings") === "yes", submission: readSubmission(form) });
  if (!result.ok && "needsConfirmation" in result) {
    return badRequest<ActionData>({ errors: { acceptWarnings: copy.confirmWarnings }, warnings: result.warnings, values, usedFile: isFromFile, kept });
  }
  if (!result.ok) return badRequest<ActionData>({ rowErrors: result.errors, values, usedFile: isFromFile });
  return json<ActionData>({ imported: result.imported, createdGroups: result.createdGroups, warnings: result.warnings });
}

export default function ImportProposals() {
  const { groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>

      <ErrorSummary errors={actionData?.errors} />
      {actionData?.rowErrors?.length ? (
        <div role="alert" className="mb-8 border-4 border-red-700 p-4">
          <h2 className="mt-0 text-xl">{copy.rowProblems}</h2>
          <ul className="list-disc space-y-1 pl-6">
            {actionData.rowErrors.map((e, i) => (
              <li key={i} className="break-words font-semibold text-red-800">
                {e}
              </li>
            ))}
          </ul>
          {actionData.usedFile ? <p className="mb-0">{copy.chooseAgain}</p> : null}
        </div>
      ) : null}

      {actionData?.warnings?.length ? (
        <div className="mb-8 border-4 border-amber-600 p-4">
          <h2 className="mt-0 text-xl">{copy.warningsTitle}</h2>
          <ul className="list-disc space-y-1 pl-6">
            {actionData.warnings.map((w, i) => (
              <li key={i} className="break-words">
                {w}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {actionData?.imported ? (
        <div role="status" className="panel">
          <p className="font-semibold">{copy.imported(actionData.imported.length)}</p>
          <DataTable caption={copy.importedCaption} columns={copy.importedHeadings}>
            {actionData.imported.map((p) => (
              <tr key={p.id}>
                <td>{p.row}</td>
                <td className="whitespace-nowrap">
                  <Link to={`/admin/proposals/${p.id}`}>{p.reference}</Link>
                </td>
                <td>{p.title}</td>
              </tr>
            ))}
          </DataTable>
          {actionData.createdGroups?.length ? (
            <p className="mt-4">
              {copy.createdGroups} {actionData.createdGroups.join(", ")}
            </p>
          ) : null}
          <p className="mb-0">
            <Link to="/admin/screening?status=submitted">{copy.screening}</Link>
          </p>
        </div>
      ) : null}

      {actionData?.checked ? (
        <div role="status" className="panel">
          <p className="font-semibold">{copy.checked(actionData.checked.length)}</p>
          <DataTable caption={copy.checkedCaption} columns={copy.checkedHeadings}>
            {actionData.checked.map((r) => (
              <tr key={r.row}>
                <td>{r.row}</td>
                <td>{r.title}</td>
                <td>
                  {r.communityGroupName} {r.isNewGroup ? copy.newGroup : null}
                </td>
                <td>{r.decisionGroupName}</td>
                <td className="whitespace-nowrap">{r.amountPence === null ? "" : formatPence(r.amountPence)}</td>
              </tr>
            ))}
          </DataTable>
          {actionData.kept ? <p className="mb-0 mt-4">{copy.kept(actionData.kept.fileName)}</p> : null}
        </div>
      ) : null}

      <Form method="post" encType="multipart/form-data" className="mb-8 border-2 border-slate-300 p-4">
        {/* The token goes first, so the server checks it before reading any file. */}
        <CsrfInput />
        <h2 className="mt-0">{copy.form}</h2>
        {actionData?.kept && !actionData.imported ? (
          <>
            <input type="hidden" name="keptCsv" value={actionData.kept.csv} />
            <input type="hidden" name="keptFileName" value={actionData.kept.fileName} />
            {actionData.checked ? null : <p>{copy.kept(actionData.kept.fileName)}</p>}
          </>
        ) : null}
        <FileField name="file" label={copy.file} hint={copy.fileHint} error={actionData?.errors?.file} accept=".csv,text/csv" />
        <TextareaField
          name="csv"
          label={copy.paste}
          hint={copy.pasteHint}
          defaultValue={actionData?.values?.csv}
          rows={8}
          className="input font-mono text-sm"
        />
        {actionData?.warnings?.length && !actionData.imported ? (
          <div className={`mb-6 ${actionData.errors?.acceptWarnings ? "border-l-4 border-red-700 pl-3" : ""}`}>
            {actionData.errors?.acceptWarnings ? (
              <p id="acceptWarnings-error" className="mb-1 font-semibold text-red-800">
                <span className="sr-only">Error: </span>
                {actionData.errors.acceptWarnings}
              </p>
            ) : null}
            <div className="flex items-start gap-2">
              <input
                type="checkbox"
                id="acceptWarnings"
                name="acceptWarnings"
                value="yes"
                className="mt-0.5 h-6 w-6 shrink-0"
                aria-describedby={actionData.errors?.acceptWarnings ? "acceptWarnings-error" : undefined}
                aria-invalid={actionData.errors?.acceptWarnings ? true : undefined}
              />
              <label htmlFor="acceptWarnings">{copy.acceptWarnings}</label>
            </div>
          </div>
        ) : null}
        <div className="flex flex-wrap gap-4">
          <button type="submit" name="intent" value="check" className="btn-secondary">
            {copy.check}
          </button>
          <button type="submit" name="intent" value="import" className="btn">
            {copy.import}
          </button>
        </div>
      </Form>

      <h2>{copy.how}</h2>
      <ul className="max-w-3xl list-disc space-y-2 pl-6">
        {copy.rules.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <p>
        <a href="/admin/proposals/import-template.csv" download>
          {copy.template}
        </a>
      </p>

      <h2>{copy.columns}</h2>
      <DataTable caption={copy.columnsCaption} columns={copy.columnHeadings} className="table text-sm">
        {IMPORT_COLUMNS.map((c) => (
          <tr key={c.name}>
            <th scope="row">
              <code>{c.name}</code>
            </th>
            <td>{c.isRequired ? copy.required : copy.optional}</td>
            <td>{c.help}</td>
            <td className="break-words">{c.example}</td>
          </tr>
        ))}
      </DataTable>

      <h2>{copy.groups}</h2>
      <DataTable caption={copy.groupsCaption} columns={copy.groupHeadings} className="table text-sm">
        {groups.map((g) => (
          <tr key={g.id}>
            <th scope="row">{g.name}</th>
            <td>{g.fundName}</td>
            <td>{formatPence(g.min_grant_pence)}</td>
            <td>{formatPence(g.max_grant_pence)}</td>
            <td>{formatPence(g.pot_pence)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
