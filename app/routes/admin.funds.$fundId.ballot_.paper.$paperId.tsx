import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireOpenedBallotWork } from "~/auth/paper-ballot-guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PaperBallotHeading } from "~/components/paper-ballot-heading";
import { CsrfInput } from "~/components/ui/csrf-input";
import { RadioGroup } from "~/components/ui/field";
import { formatUkDateTime } from "~/domain/community-ballot";
import { ResolveMismatchSchema } from "~/domain/forms/paper-ballots";
import { keyingDifferences, PAPER_STATUS_LABELS } from "~/domain/paper-ballots";
import { can } from "~/domain/permissions";
import { listBallotProjects } from "~/models/community-ballot.server";
import { getPaperWithKeyings } from "~/models/paper-ballots.server";
import { resolvePaperMismatch } from "~/services/paper-ballots.server";
import { submitForm } from "~/utils/forms.server";
import { notFound } from "~/utils/http.server";

const copy = {
  title: "Resolve a paper ballot",
  back: "Paper ballots",
  status: "Where it is",
  differ: (parts: string) => `The keyings differ on ${parts}.`,
  keying: (n: number, name: string, at: string) => `Keying ${n}, by ${name}, ${at}`,
  venue: "Venue",
  spoilt: "Keyed as spoilt",
  choices: "Choices",
  points: (n: number) => `${n} point${n === 1 ? "" : "s"}`,
  choose: "Which keying matches the paper?",
  chooseHint: "Find the paper and read it yourself. Your choice is recorded with your name.",
  option: (n: number, name: string) => `Keying ${n}, by ${name}`,
  submit: "Count this keying",
  keyedIt: "You keyed this paper, so someone who did not must choose between the keyings. You can ask them, or a third person can key the paper again.",
  third: "Or key the paper a third time: when a third keying matches one of these, the paper is settled.",
  keyAgain: "Key a paper ballot",
  settled: "This paper is settled.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, fund, ballot } = await requireOpenedBallotWork(request, params.fundId);
  const paper = await getPaperWithKeyings(db, ballot.id, params.paperId ?? "");
  if (!paper) throw notFound();
  // Only this one paper's keyings, to the person resolving it; no totals of choices (docs/decisions/0044).
  const projects = await listBallotProjects(db, ballot.id);
  const titleOf = new Map(projects.map((p) => [p.id, p.title]));
  const keyings = paper.keyings.map((k) => ({
    id: k.id,
    keyerName: k.keyerName,
    keyedAt: k.keyedAt,
    venueName: k.venueName,
    isSpoilt: k.isSpoilt,
    choices: Object.entries(k.choices ?? {}).map(([id, n]) => ({ title: titleOf.get(id) ?? id, points: n })),
  }));
  const [first, second] = paper.keyings.map((k) => ({ id: k.id, keyedBy: k.keyedBy, venueId: k.venueId, isSpoilt: k.isSpoilt, choices: k.choicesJson }));
  return json({
    fund,
    isBallotPoints: ballot.kind === "points",
    paper: { id: paper.id, status: paper.status },
    keyings,
    differences: first && second ? keyingDifferences(first, second) : [],
    canResolve: can(user, "paper_ballot.resolve", { type: "paper_ballot", keyedBy: paper.keyings.map((k) => k.keyedBy) }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const { db, user, fund } = await requireOpenedBallotWork(request, params.fundId);
  return submitForm(form, ResolveMismatchSchema, async (data) => {
    await resolvePaperMismatch(db, user, fund.id, params.paperId ?? "", data.keying);
    return redirect(`/admin/funds/${fund.id}/ballot/paper#mismatches`);
  });
}

export default function ResolvePaper() {
  const { fund, isBallotPoints, paper, keyings, differences, canResolve } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const base = `/admin/funds/${fund.id}/ballot/paper`;
  return (
    <div className="max-w-3xl">
      <PaperBallotHeading fundId={fund.id} fundName={fund.name} title={copy.title} back={copy.back} errors={errors} />
      <p>
        <span className="font-semibold">{copy.status}:</span> {PAPER_STATUS_LABELS[paper.status]}
      </p>
      {differences.length ? <p className="font-semibold">{copy.differ(differences.join(" and "))}</p> : null}
      {keyings.map((k, i) => (
        <section key={k.id} aria-labelledby={`keying-heading-${k.id}`} className="panel mb-4">
          <h2 id={`keying-heading-${k.id}`} className="mt-0">
            {copy.keying(i + 1, k.keyerName, formatUkDateTime(k.keyedAt))}
          </h2>
          <p>
            <span className="font-semibold">{copy.venue}:</span> {k.venueName}
          </p>
          {k.isSpoilt ? (
            <p className="font-semibold">{copy.spoilt}</p>
          ) : (
            <>
              <p className="font-semibold">{copy.choices}:</p>
              <ul className="list-disc pl-6">
                {k.choices.map((c) => (
                  <li key={c.title}>
                    {c.title}
                    {isBallotPoints ? `: ${copy.points(c.points)}` : null}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
      {paper.status !== "mismatch" ? (
        <p className="font-semibold">{copy.settled}</p>
      ) : canResolve ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <RadioGroup
            name="keying"
            label={copy.choose}
            hint={copy.chooseHint}
            error={errors?.keying}
            options={keyings.map((k, i) => ({ value: k.id, label: copy.option(i + 1, k.keyerName) }))}
            defaultValue={actionData?.values?.keying}
          />
          <button type="submit" className="btn">
            {copy.submit}
          </button>
        </Form>
      ) : (
        <p>{copy.keyedIt}</p>
      )}
      {paper.status === "mismatch" ? (
        <p>
          {copy.third} <Link to={`${base}/key`}>{copy.keyAgain}</Link>
        </p>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
