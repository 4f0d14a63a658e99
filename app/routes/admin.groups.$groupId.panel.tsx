import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { RadioGroup } from "~/components/ui/field";
import { DomainError } from "~/domain/errors";
import { ChairSchema, CONSTITUENCY_PLURALS } from "~/domain/forms/panel-rules";
import { compositionBreaches } from "~/domain/panel-composition";
import { CONSTITUENCIES, CONSTITUENCY_LABELS } from "~/domain/roles";
import { getGroupWithRules, listPanelMembers } from "~/models/panel.server";
import { setChair } from "~/services/panel-rules.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";
import { DataTable } from "~/components/ui/data-table";
import { RELATIONSHIP_LABELS } from "~/domain/forms/panel";
import { listInterestRegister } from "~/models/interests.server";

const copy = {
  title: (name: string) => `Panel: ${name}`,
  back: "Back to the fund's decision groups",
  intro:
    "The members of this decision group's panel, who chairs it, and whether the panel has the mix of residents, councillors and VCSE representatives the fund's rules ask for.",
  members: "Members",
  none: "This panel has no members yet.",
  caption: "Panel members",
  columns: ["Name", "Constituency", "Chair", "Name may be published"],
  yes: "Yes",
  no: "No",
  disabled: "(account disabled, not counted)",
  noConstituency: "Not set (not counted)",
  invite: "Invite a panel member",
  composition: "Composition",
  counts: (c: string, n: number, total: number) => `${c}: ${n} of ${total}`,
  meets: "The panel meets the fund's composition rules.",
  noRules: "The fund has no composition rules yet.",
  breaches: "The panel does not meet the fund's composition rules:",
  rules: "Change the fund's panel rules",
  chair: "Chair",
  chairLegend: "Who chairs the panel",
  chairHint: "The chair opens and closes meetings and votes, records attendance, and gives a casting vote when a tied vote is settled that way.",
  chairSubmit: "Save chair",
  noChair: "Nobody chairs this panel yet.",
  saved: "Chair saved.",
  meetings: "See this panel's meetings",
  register: "Register of interests",
  registerIntro:
    "Every interest the panel's members have declared. A member is recused automatically from a proposal when they declared an interest in it, in its community group, or in the group's lead organisation.",
  registerNone: "No member of this panel has declared an interest.",
  registerCaption: "Declared interests",
  registerColumns: ["Member", "Interest", "Pecuniary", "Details", "Declared", "Takes no part in"],
  noProposals: "No proposal in this group",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${copy.title(data?.group.name ?? "decision group")} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const group = await getGroupWithRules(db, params.groupId ?? "");
  if (!group) throw notFound();
  const [members, register] = await Promise.all([listPanelMembers(db, group.id), listInterestRegister(db, [group.id])]);
  const counted = members.filter((m) => !m.isDisabled && m.constituency !== null).map((m) => ({ id: m.id, constituency: m.constituency! }));
  let breaches: string[];
  try {
    breaches = compositionBreaches(counted, group.compositionRules);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    breaches = [`The fund's composition rules cannot be checked: ${error.message}.`];
  }
  const counts = CONSTITUENCIES.map((c) => ({ constituency: c, n: counted.filter((m) => m.constituency === c).length }));
  return json({
    group: { id: group.id, name: group.name, fundId: group.fundId, fundName: group.fundName },
    members,
    register,
    counts,
    total: counted.length,
    hasRules: Object.keys(group.compositionRules).length > 0,
    breaches,
    isSaved: new URL(request.url).searchParams.get("done") === "chair",
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const admin = await requirePermission(request, "fund.manage");
  const group = await getGroupWithRules(getDb(), params.groupId ?? "");
  if (!group) throw notFound();
  return submitForm(form, ChairSchema, async (data) => {
    await setChair(getDb(), admin, group.id, data.chairId);
    return redirect(`/admin/groups/${group.id}/panel?done=chair`);
  });
}

export default function GroupPanel() {
  const { group, members, register, counts, total, hasRules, breaches, isSaved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const chair = members.find((m) => m.isChair && !m.isDisabled);
  const eligible = members.filter((m) => !m.isDisabled);
  return (
    <div className="max-w-4xl">
      <ErrorSummary errors={actionData?.errors} />
      <p>
        <Link to={`/admin/funds/${group.fundId}/groups`}>{copy.back}</Link>
      </p>
      {isSaved && !actionData ? (
        <p role="status" className="panel font-semibold">
          {copy.saved}
        </p>
      ) : null}
      <p className="mb-2 text-lg text-slate-700">{group.fundName}</p>
      <h1>{copy.title(group.name)}</h1>
      <p>{copy.intro}</p>

      <h2>{copy.members}</h2>
      {members.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {members.map((m) => (
            <tr key={m.id}>
              <th scope="row" className="font-normal">
                {m.name} {m.isDisabled ? copy.disabled : ""}
              </th>
              <td>{m.constituency ? CONSTITUENCY_LABELS[m.constituency] : copy.noConstituency}</td>
              <td>{m.isChair ? copy.yes : copy.no}</td>
              <td>{m.isNamePublic ? copy.yes : copy.no}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <p>
        <Link to="/admin/invitations">{copy.invite}</Link>
      </p>

      <h2>{copy.composition}</h2>
      <ul className="list-disc pl-6">
        {counts.map((c) => (
          <li key={c.constituency}>
            {copy.counts(
              CONSTITUENCY_PLURALS[c.constituency].replace(/^./, (x) => x.toUpperCase()),
              c.n,
              total,
            )}
          </li>
        ))}
      </ul>
      {!hasRules ? (
        <p>{copy.noRules}</p>
      ) : breaches.length === 0 ? (
        <p className="font-semibold">{copy.meets}</p>
      ) : (
        <div className="mb-6 border-l-8 border-red-700 bg-red-50 p-4">
          <p className="font-semibold">{copy.breaches}</p>
          <ul className="list-disc pl-6">
            {breaches.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      <p>
        <Link to={`/admin/funds/${group.fundId}/panel-rules`}>{copy.rules}</Link>
      </p>

      <h2>{copy.chair}</h2>
      <p>{chair ? chair.name : copy.noChair}</p>
      {eligible.length ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <RadioGroup
            name="chairId"
            label={copy.chairLegend}
            hint={copy.chairHint}
            options={eligible.map((m) => ({
              value: m.id,
              label: m.constituency ? `${m.name}, ${CONSTITUENCY_LABELS[m.constituency]}` : m.name,
            }))}
            defaultValue={actionData?.values?.chairId ?? chair?.id}
            error={actionData?.errors?.chairId}
          />
          <button type="submit" className="btn">
            {copy.chairSubmit}
          </button>
        </Form>
      ) : null}

      <h2>{copy.register}</h2>
      <p>{copy.registerIntro}</p>
      {register.length === 0 ? (
        <p>{copy.registerNone}</p>
      ) : (
        <DataTable caption={copy.registerCaption} columns={copy.registerColumns}>
          {register.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="font-normal">
                {r.memberName}
                {r.constituency ? <span className="block text-sm">{CONSTITUENCY_LABELS[r.constituency]}</span> : null}
              </th>
              <td>
                {RELATIONSHIP_LABELS[r.relationship]}: {r.subject}
              </td>
              <td>{r.isPecuniary ? copy.yes : copy.no}</td>
              <td className="break-words">{r.details}</td>
              <td className="whitespace-nowrap">{r.declaredAt.slice(0, 10)}</td>
              <td>{r.recusedFrom.length ? r.recusedFrom.join(", ") : copy.noProposals}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <p className="mt-6">
        <Link to={`/panel/meetings?group=${group.id}`}>{copy.meetings}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
