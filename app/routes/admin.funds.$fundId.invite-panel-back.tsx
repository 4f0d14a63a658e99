import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FundAdminNav } from "~/components/fund-admin-nav";
import { CsrfInput } from "~/components/ui/csrf-input";
import { DataTable } from "~/components/ui/data-table";
import { ErrorSummary } from "~/components/ui/error-summary";
import { InviteBackSchema } from "~/domain/forms/next-round";
import { formatDate } from "~/domain/phases";
import { CONSTITUENCY_LABELS } from "~/domain/roles";
import type { ComingBack } from "~/domain/rounds";
import { getFund } from "~/models/fund.server";
import { getRoundLinks, listLastRoundPanels } from "~/models/rounds.server";
import { invitePanelMemberBack } from "~/services/rounds.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Invite last round's panel back",
  intro: (previous: string) =>
    `Each decision group of this round was copied from a group of ${previous}. Below are the people who sat on that group's panel, with the constituency they sat for.`,
  how: "Invite back emails them a link. They accept it with the password they already use, so they keep their account, and they join this round's panel for the same constituency. This round is a new panel membership: they declare their interests afresh, and choose again whether their name may be published.",
  notARound: "This fund was not started from another round, so there is no last round's panel to invite back.",
  startNext: "To start a new round from this fund, use Start the next round on the fund's page.",
  noGroups: "None of this round's decision groups was copied from last round.",
  lastRound: (group: string, fund: string) => `Last round: ${group}, ${fund}.`,
  none: "Nobody sat on that group's panel.",
  caption: (group: string) => `Last round's panel of ${group}`,
  columns: ["Name", "Constituency", "Last round", "This round", "Action"],
  noConstituency: "Not set",
  stayed: "Still on that panel",
  left: (date: string) => `Left on ${date}`,
  status: {
    on_panel: (s: Extract<ComingBack, { kind: "on_panel" }>) => `On this round's panel since ${formatDate(s.since)}`,
    invited: (s: Extract<ComingBack, { kind: "invited" }>) =>
      `Invited on ${formatDate(s.sentAt)}, not accepted yet (the link works until ${formatDate(s.expiresAt)})`,
    disabled: () => "Account disabled: cannot be invited",
    not_invited: (s: Extract<ComingBack, { kind: "not_invited" }>) => (s.expiredAt ? `Invitation expired on ${formatDate(s.expiredAt)}` : "Not invited yet"),
  },
  invite: "Invite back",
  inviteAgain: "Invite again",
  sent: (name: string) => `Invitation sent to ${name}. They join this round's panel when they accept it.`,
  back: "Back to the fund",
};

function statusText(status: ComingBack): string {
  switch (status.kind) {
    case "on_panel":
      return copy.status.on_panel(status);
    case "invited":
      return copy.status.invited(status);
    case "disabled":
      return copy.status.disabled();
    case "not_invited":
      return copy.status.not_invited(status);
  }
}

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fundId = params.fundId ?? "";
  const [fund, rounds, groups] = await Promise.all([getFund(db, fundId), getRoundLinks(db, fundId), listLastRoundPanels(db, fundId)]);
  if (!fund) throw notFound();
  // ?invited=<user id> after a successful invitation: say whom it went to.
  const invited = new URL(request.url).searchParams.get("invited") ?? "";
  const sentTo = groups.flatMap((g) => g.members).find((m) => m.userId === invited)?.name ?? null;
  return json({ fund: { id: fund.id, name: fund.name }, previous: rounds.previous, groups, sentTo });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "fund.manage");
  const form = await readVerifiedForm(request);
  const db = getDb();
  const fundId = params.fundId ?? "";
  if (!(await getFund(db, fundId))) throw notFound();
  return submitForm(
    form,
    InviteBackSchema,
    async (data) => {
      await invitePanelMemberBack(db, admin, fundId, data.decisionGroupId, data.userId);
      return redirect(`/admin/funds/${fundId}/invite-panel-back?invited=${encodeURIComponent(data.userId)}`);
    },
    // Every message (already invited, already on the panel) belongs at the top: the page's only fields are buttons.
    { fields: [] },
  );
}

export default function InvitePanelBack() {
  const { fund, previous, groups, sentTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <ErrorSummary errors={actionData?.errors} />
      <FundAdminNav fundId={fund.id} fundName={fund.name} />
      {sentTo && !actionData ? (
        <p role="status" className="panel max-w-3xl font-semibold">
          {copy.sent(sentTo)}
        </p>
      ) : null}
      <h1>{copy.title}</h1>
      {!previous ? (
        <div className="max-w-3xl">
          <p>{copy.notARound}</p>
          <p>{copy.startNext}</p>
        </div>
      ) : (
        <div className="max-w-3xl">
          <p>{copy.intro(previous.name)}</p>
          <p>{copy.how}</p>
          {groups.length === 0 ? <p>{copy.noGroups}</p> : null}
        </div>
      )}
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`group-${g.id}`}>
          <h2 id={`group-${g.id}`}>{g.name}</h2>
          <p>{copy.lastRound(g.previous.name, g.previous.fundName)}</p>
          {g.members.length === 0 ? (
            <p>{copy.none}</p>
          ) : (
            <DataTable caption={copy.caption(g.name)} columns={copy.columns}>
              {g.members.map((m) => (
                <tr key={m.userId}>
                  <th scope="row">{m.name}</th>
                  <td>{m.constituency ? CONSTITUENCY_LABELS[m.constituency] : copy.noConstituency}</td>
                  <td>{m.leftOn ? copy.left(formatDate(m.leftOn)) : copy.stayed}</td>
                  <td>{statusText(m.status)}</td>
                  <td>
                    {m.status.kind === "not_invited" ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="decisionGroupId" value={g.id} />
                        <input type="hidden" name="userId" value={m.userId} />
                        <button type="submit" className="btn mb-0">
                          {m.status.expiredAt ? copy.inviteAgain : copy.invite}
                          <span className="sr-only"> {m.name}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      ))}
      <p>
        <Link to={`/admin/funds/${fund.id}`}>{copy.back}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
