import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { TextareaField } from "~/components/ui/textarea-field";
import { CriterionSchema, guidanceField, RemoveRowSchema } from "~/domain/forms/fund";
import { SCORE_BANDS } from "~/domain/fund";
import { getFund, listCriteria } from "~/models/fund.server";
import { removeCriterion, saveCriterion } from "~/services/funds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Scoring criteria",
  intro:
    "Panel members score each eligible proposal from 0 to 5 against every criterion. A criterion's weight multiplies its scores, so a criterion with weight 3 counts three times as much as one with weight 1.",
  none: "This fund has no scoring criteria yet.",
  weight: (w: number) => `Weight ${w}`,
  guidanceTitle: "Guidance for each score",
  noGuidance: "No guidance written yet.",
  change: "Change",
  remove: "Remove",
  add: "Add a criterion",
  editing: (name: string) => `Change "${name}"`,
  cancel: "Cancel",
  name: "Name",
  nameHint: "For example: Community need",
  weightLabel: "Weight",
  weightHint: "A whole number, 1 or more. Criteria that matter more get a bigger weight.",
  guidance: "What each score means",
  guidanceHint: "Optional, but it helps panel members score consistently.",
  band: (score: number) => (score === 0 ? "Score 0 (lowest)" : score === 5 ? "Score 5 (highest)" : `Score ${score}`),
  saveNew: "Add criterion",
  saveEdit: "Save criterion",
  done: { added: "Criterion added.", saved: "Criterion saved.", removed: "Criterion removed." } as Record<string, string>,
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, criteria] = await Promise.all([getFund(db, fundId), listCriteria(db, fundId)]);
  if (!fund) throw notFound();
  const url = new URL(request.url);
  const editId = url.searchParams.get("edit");
  const done = url.searchParams.get("done") ?? "";
  return json({
    fund: { id: fund.id, name: fund.name },
    criteria,
    editId: criteria.some((c) => c.id === editId) ? editId : null,
    done: copy.done[done] ? done : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const fundId = params.fundId ?? "";
  if (!(await getFund(getDb(), fundId))) throw notFound();
  if (form.get("intent") === "remove") {
    // A remove button's form has no fields to show a message on: it goes at the top.
    return submitForm(
      form,
      RemoveRowSchema,
      async (data) => {
        await removeCriterion(getDb(), admin, fundId, data.id);
        return redirect(`/admin/funds/${fundId}/criteria?done=removed`);
      },
      { fields: [] },
    );
  }
  return submitForm(form, CriterionSchema, async (data) => {
    await saveCriterion(getDb(), admin, fundId, data);
    return redirect(`/admin/funds/${fundId}/criteria?done=${data.criterionId ? "saved" : "added"}`);
  });
}

export default function Criteria() {
  const { fund, criteria, editId, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const editing = criteria.find((c) => c.id === (actionData?.values ? actionData.values.criterionId : editId));
  const values: Record<string, string | undefined> =
    actionData?.values ??
    (editing
      ? {
          name: editing.name,
          weight: String(editing.weight),
          ...Object.fromEntries(editing.guidance.map((g, i) => [guidanceField(i), g])),
        }
      : { weight: "1" });
  return (
    <div className="max-w-3xl">
      <ErrorSummary errors={errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {done && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.done[done]}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      {criteria.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <ol className="mb-8 list-decimal space-y-6 pl-6">
          {criteria.map((c) => (
            <li key={c.id}>
              <p className="mb-1 font-semibold">
                {c.name} <span className="tag">{copy.weight(c.weight)}</span>
              </p>
              {c.guidance.some(Boolean) ? (
                <details className="mb-2">
                  <summary className="cursor-pointer">{copy.guidanceTitle}</summary>
                  <dl className="mt-2">
                    {SCORE_BANDS.map((score) => (
                      <div key={score} className="mb-1">
                        <dt className="inline font-semibold">{copy.band(score)}: </dt>
                        <dd className="inline">{c.guidance[score] || "–"}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ) : (
                <p className="mb-2 text-slate-700">{copy.noGuidance}</p>
              )}
              <div className="flex flex-wrap items-center gap-4">
                <Link to={`?edit=${c.id}#name`}>
                  {copy.change}
                  <span className="sr-only"> {c.name}</span>
                </Link>
                <Form method="post" className="relative">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="id" value={c.id} />
                  <button type="submit" className="btn-secondary">
                    {copy.remove}
                    <span className="sr-only"> {c.name}</span>
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ol>
      )}
      <h2>{editing ? copy.editing(editing.name) : copy.add}</h2>
      <Form method="post" noValidate key={`${editing?.id ?? "new"}-${done ?? ""}`}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        {editing ? <input type="hidden" name="criterionId" value={editing.id} /> : null}
        <TextField name="name" label={copy.name} hint={copy.nameHint} defaultValue={values.name} error={errors?.name} />
        <TextField
          name="weight"
          label={copy.weightLabel}
          hint={copy.weightHint}
          inputMode="numeric"
          className="max-w-[6rem]"
          defaultValue={values.weight}
          error={errors?.weight}
        />
        <fieldset className="mb-6" aria-describedby="guidance-hint">
          <legend className="mb-1 text-xl font-bold">{copy.guidance}</legend>
          <p id="guidance-hint" className="text-slate-700">
            {copy.guidanceHint}
          </p>
          {SCORE_BANDS.map((score) => (
            <TextareaField
              key={score}
              name={guidanceField(score)}
              label={copy.band(score)}
              rows={2}
              defaultValue={values[guidanceField(score)]}
              error={errors?.[guidanceField(score)]}
            />
          ))}
        </fieldset>
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn">
            {editing ? copy.saveEdit : copy.saveNew}
          </button>
          {editing ? <Link to={`/admin/funds/${fund.id}/criteria`}>{copy.cancel}</Link> : null}
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
