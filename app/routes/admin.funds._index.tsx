import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/ui/pagination";
import { FUND_TYPE_LABELS } from "~/domain/fund";
import { formatPence } from "~/domain/money";
import { listFundsWithAllocation } from "~/models/fund.server";
import { getDb } from "~/utils/db.server";
import { pageFrom } from "~/utils/pagination";
import { DataTable } from "~/components/ui/data-table";

const PAGE_SIZE = 25;

const copy = {
  title: "Funds",
  intro: "Set up each fund's purpose, budget and phases, then its eligibility questions, scoring criteria and decision groups.",
  create: "Create a fund",
  none: "There are no funds yet.",
  caption: "Funds, newest first",
  columns: ["Fund", "Type", "Total budget", "Allocated to pots", "Decision groups", "Published"],
  published: "Published",
  unpublished: "Not published",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const page = pageFrom(new URL(request.url));
  const funds = await listFundsWithAllocation(getDb(), page, PAGE_SIZE);
  return json({ funds, page });
}

export default function AdminFunds() {
  const { funds, page } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div>
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <p>
        <Link to="/admin/funds/new" className="btn">
          {copy.create}
        </Link>
      </p>
      {funds.rows.length === 0 ? (
        <p>{copy.none}</p>
      ) : (
        <DataTable caption={copy.caption} columns={copy.columns}>
          {funds.rows.map((f) => (
            <tr key={f.id}>
              <th scope="row" className="font-normal">
                <Link to={`/admin/funds/${f.id}`}>{f.name}</Link>
              </th>
              <td>{FUND_TYPE_LABELS[f.type]}</td>
              <td>{formatPence(f.budget_pence)}</td>
              <td>{formatPence(f.allocated_pence)}</td>
              <td>{f.group_count}</td>
              <td>
                <span className="tag">{f.is_published ? copy.published : copy.unpublished}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={funds.total} search={location.search} />
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
