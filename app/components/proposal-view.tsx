import { formatPence } from "~/domain/money";
import { formatDate } from "~/domain/phases";
import { budgetTotal, NEED_LABELS, type ProposalContent } from "~/domain/proposal";
import { scrollRegion } from "./ui/data-table";

const copy = {
  summary: "Summary",
  need: "The need",
  needType: "Kind of need",
  evidence: "Evidence of need",
  benefits: "Who benefits",
  howMany: "How many people benefit",
  built: "What will be built or bought",
  budget: "Budget",
  budgetCaption: "Budget lines and their costs",
  item: "Item",
  cost: "Cost",
  total: "Total",
  amount: "Amount requested",
  timeline: "Timeline",
  start: "Start date",
  end: "End date",
  outcomes: "Outcomes",
  outcomesCaption: "Outcomes and how each will be measured",
  outcome: "Outcome",
  measure: "How it will be measured",
  notGiven: "Not given yet",
  noBudget: "No budget lines yet.",
  noOutcomes: "No outcomes yet.",
};

const Missing = () => <span className="text-slate-700">{copy.notGiven}</span>;

/** A proposal's content, read-only. Used on the proposal page and anywhere else a proposal is read. */
export function ProposalView({ content, headingLevel = 2 }: { content: ProposalContent; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const text = (value: string) =>
    value.trim() ? (
      <p className="whitespace-pre-line break-words">{value}</p>
    ) : (
      <p>
        <Missing />
      </p>
    );
  const total = budgetTotal(content.budgetLines);
  return (
    <div className="proposal-view">
      <H>{copy.summary}</H>
      {text(content.summary)}

      <H>{copy.need}</H>
      <dl className="mb-4">
        <dt className="font-semibold">{copy.needType}</dt>
        <dd className="mb-3">{content.needType ? NEED_LABELS[content.needType] : <Missing />}</dd>
        <dt className="font-semibold">{copy.evidence}</dt>
        <dd className="mb-3 whitespace-pre-line break-words">{content.needEvidence.trim() ? content.needEvidence : <Missing />}</dd>
        <dt className="font-semibold">{copy.benefits}</dt>
        <dd className="mb-3 whitespace-pre-line break-words">{content.beneficiaries.trim() ? content.beneficiaries : <Missing />}</dd>
        <dt className="font-semibold">{copy.howMany}</dt>
        <dd className="mb-3">{content.beneficiaryCount !== null ? content.beneficiaryCount.toLocaleString("en-GB") : <Missing />}</dd>
      </dl>

      <H>{copy.built}</H>
      {text(content.whatBuilt)}

      <H>{copy.budget}</H>
      {content.budgetLines.length ? (
        <div {...scrollRegion(copy.budgetCaption)}>
          <table className="table">
            <caption className="sr-only">{copy.budgetCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.item}</th>
                <th scope="col" className="text-right">
                  {copy.cost}
                </th>
              </tr>
            </thead>
            <tbody>
              {content.budgetLines.map((line, i) => (
                <tr key={i}>
                  <td className="break-words">{line.item}</td>
                  <td className="text-right">{formatPence(line.costPence)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{copy.total}</th>
                <td className="text-right font-semibold">{formatPence(total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : (
        <p>{copy.noBudget}</p>
      )}
      <dl className="mb-4">
        <dt className="font-semibold">{copy.amount}</dt>
        <dd className="mb-3">{content.amountRequestedPence !== null ? formatPence(content.amountRequestedPence) : <Missing />}</dd>
      </dl>

      <H>{copy.timeline}</H>
      <dl className="mb-4">
        <dt className="font-semibold">{copy.start}</dt>
        <dd className="mb-3">{content.startDate ? formatDate(content.startDate) : <Missing />}</dd>
        <dt className="font-semibold">{copy.end}</dt>
        <dd className="mb-3">{content.endDate ? formatDate(content.endDate) : <Missing />}</dd>
      </dl>

      <H>{copy.outcomes}</H>
      {content.outcomes.length ? (
        <div {...scrollRegion(copy.outcomesCaption)}>
          <table className="table">
            <caption className="sr-only">{copy.outcomesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.outcome}</th>
                <th scope="col">{copy.measure}</th>
              </tr>
            </thead>
            <tbody>
              {content.outcomes.map((o, i) => (
                <tr key={i}>
                  <td className="break-words">{o.outcome}</td>
                  <td className="break-words">{o.measure}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{copy.noOutcomes}</p>
      )}
    </div>
  );
}
