import { ChoicesFieldset } from "./ui/choices-fieldset";
import { CHOICE_FIELD, pointsField, type BallotKind } from "~/domain/community-ballot";
import { formatPence } from "~/domain/money";

const copy = {
  legend: {
    approval: (k: number) => `Choose up to ${k} projects`,
    points: (n: number, m: number) => `Share out ${n} points. Give points to at least ${m} projects.`,
    knapsack: (budget: string) => `Choose projects that cost ${budget} or less in total`,
  },
  hint: {
    approval: "Tick the projects you want to get money.",
    points: "Give more points to the projects you like most. Leave a box empty for no points.",
    knapsack: "Add up the costs as you go. Your projects must fit the budget.",
  } as Record<BallotKind, string>,
  cost: "Cost",
  area: "Area",
  pointsFor: (title: string) => `Points for ${title}`,
};

export interface BallotChoiceRules {
  kind: BallotKind;
  maxChoices: number;
  pointsTotal: number;
  pointsMinProjects: number;
  budgetPence: number;
}

export interface BallotChoiceProject {
  id: string;
  title: string;
  summary: string;
  costPence: number;
  area: string;
}

/** The ballot's legend in words: the limit for its kind. */
export function ballotLegend(rules: BallotChoiceRules): string {
  if (rules.kind === "approval") return copy.legend.approval(rules.maxChoices);
  if (rules.kind === "points") return copy.legend.points(rules.pointsTotal, rules.pointsMinProjects);
  return copy.legend.knapsack(formatPence(rules.budgetPence));
}

/**
 * The ballot's form controls: one checkbox per project (approval, budget) or
 * one points box per project, in a fieldset with the limit as its legend. The
 * online ballot and the paper keying form both use it, so a keyer types what
 * the voter would have ticked. The first control's id is "choices", for the error summary.
 */
export function BallotChoices({
  rules,
  projects,
  ticked,
  pointsOf,
  error,
  hint = copy.hint[rules.kind],
}: {
  rules: BallotChoiceRules;
  projects: readonly BallotChoiceProject[];
  ticked: ReadonlySet<string>;
  pointsOf: (id: string) => string;
  error?: string;
  hint?: string;
}) {
  return (
    <ChoicesFieldset legend={ballotLegend(rules)} hint={hint} error={error}>
      <ul className="space-y-4">
        {projects.map((p, i) => {
          const id = i === 0 ? "choices" : `choice-${p.id}`;
          const about = `about-${p.id}`;
          return (
            <li key={p.id} className="border-l-4 border-slate-300 pl-3">
              {rules.kind === "points" ? (
                <>
                  <p className="mb-1 font-semibold">{p.title}</p>
                  <div id={about}>
                    <p className="mb-1">{p.summary}</p>
                    <p className="mb-1">
                      {copy.cost}: {formatPence(p.costPence)}. {copy.area}: {p.area}
                    </p>
                  </div>
                  <label htmlFor={id} className="block">
                    {copy.pointsFor(p.title)}
                  </label>
                  <input id={id} name={pointsField(p.id)} inputMode="numeric" className="input w-24" defaultValue={pointsOf(p.id)} aria-describedby={about} />
                </>
              ) : (
                <div className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    id={id}
                    name={CHOICE_FIELD}
                    value={p.id}
                    defaultChecked={ticked.has(p.id)}
                    aria-describedby={about}
                    className="mt-0.5 h-6 w-6 shrink-0"
                  />
                  <div>
                    <label htmlFor={id} className="font-semibold">
                      {p.title}
                    </label>
                    <div id={about}>
                      <p className="mb-1">{p.summary}</p>
                      <p className="mb-1">
                        {copy.cost}: {formatPence(p.costPence)}. {copy.area}: {p.area}
                      </p>
                    </div>
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </ChoicesFieldset>
  );
}
