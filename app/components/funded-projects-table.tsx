import { formatPence } from "~/domain/money";

export interface FundedProjectRow {
  id: string;
  reference: string;
  title: string;
  organisation: string;
  amountPence: number;
  reason: string;
  /** The decision group, on the fund's page where projects from every group are listed. */
  group?: string;
}

/**
 * One page of funded projects: reference, project (the row's header), group,
 * amount and the panel's reason, in a box that scrolls on a small screen.
 * The page passes its own words (columns, caption, total).
 */
export function FundedProjectsTable({
  caption,
  columns,
  projects,
  total,
}: {
  caption: string;
  columns: readonly string[];
  projects: readonly FundedProjectRow[];
  total?: { label: string; pence: number };
}) {
  const hasGroup = projects.some((p) => p.group !== undefined);
  return (
    <div role="region" aria-label={caption} tabIndex={0} className="relative overflow-x-auto">
      <table className="table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {projects.map((p) => (
            <tr key={p.id}>
              <td className="whitespace-nowrap">{p.reference}</td>
              <th scope="row" className="font-normal">
                {p.title}
              </th>
              <td>{p.organisation}</td>
              {hasGroup ? <td>{p.group}</td> : null}
              <td className="whitespace-nowrap">{formatPence(p.amountPence)}</td>
              <td className="min-w-[16rem] whitespace-pre-line">{p.reason}</td>
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row" colSpan={hasGroup ? 4 : 3}>
                {total.label}
              </th>
              <td className="whitespace-nowrap font-semibold">{formatPence(total.pence)}</td>
              <td />
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
