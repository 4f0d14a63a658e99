import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DataTable } from "~/components/ui/data-table";
import { SelectField } from "~/components/ui/field";
import { AWARD_STATUS_LABELS, AWARD_STATUSES, barPercent, type DashboardFund, type Figures } from "~/domain/award-dashboard";
import { formatPence } from "~/domain/money";
import { ukDate } from "~/domain/phases";
import { attentionList, fundBars, type AttentionItem } from "~/domain/needs-attention";
import { getAttentionInput, getAwardDashboard, listFundsForDashboard } from "~/models/award-dashboard.server";
import { getDb } from "~/utils/db.server";

const copy = {
  title: "Awards dashboard",
  intro:
    "For each fund and decision group: what is awarded, paid and remaining, what is committed against the pot, awards by status, and what needs attention. Paid means payments recorded as paid, less what is clawed back from withdrawn awards; payments awaiting a second approval are not counted. A withdrawn award is no longer awarded: only what its group keeps still uses the pot.",
  fund: "Fund",
  allFunds: "All funds",
  show: "Show",
  none: "There are no decision groups yet.",
  figures: (name: string) => `Money for ${name}`,
  rowHeading: "Decision group",
  columns: [
    "Decision group",
    "Pot",
    "Awarded (accepted and closed)",
    "Offered, not yet accepted",
    "Paid (less clawbacks)",
    "Clawed back",
    "Remaining (awarded less paid on it)",
    "Left in the pot (less awarded, offered and kept after withdrawal)",
  ],
  statusCaption: (name: string) => `Awards by status, ${name}`,
  attentionCaption: (name: string) => `Needs attention, ${name}`,
  attentionColumns: ["Decision group", "Overdue reports", "Outstanding conditions"],
  total: "Whole fund",
  spend: (name: string) => `Spend over time, ${name}`,
  spendIntro:
    "Payments recorded as paid, by month, less clawbacks in the month of the withdrawal (so a month can be below zero). The same figures are in the table below the chart.",
  noSpend: "Nothing has been paid yet.",
  spendColumns: ["Month", "Paid"],
  exports: "Download",
  exportAwards: "Awards (CSV)",
  exportPayments: "Payments (CSV)",
  exportReports: "Monitoring reports (CSV)",
  openData: "360Giving open data (JSON)",
  toApprove: "Payments to approve",
  attention: "Needs attention",
  attentionIntro: "Work waiting on awards in every fund. Each line links to the award.",
  attentionNone: "Nothing needs attention on awards today.",
  seeAll: (n: number) => `See all ${n}`,
  bars: (name: string) => `Pot, awarded and paid, ${name}`,
  barsNote: "Each bar has its figure written beside it. The pot is an outline, awarded is striped, and paid is solid.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "awards.oversee");
  const fundId = new URL(request.url).searchParams.get("fundId") || undefined;
  // The UK date, as on the reports list, so "overdue" means the same on both pages.
  const today = ukDate(new Date());
  const [funds, dashboard, attention] = await Promise.all([
    listFundsForDashboard(getDb()),
    getAwardDashboard(getDb(), today, fundId),
    getAttentionInput(getDb(), today),
  ]);
  return json({
    funds,
    dashboard: dashboard.map((fund) => ({ ...fund, bars: fundBars(fund) })),
    attention: attentionList(attention, today),
    fundId: fundId ?? "",
  });
}

const MONEY_KEYS = ["potPence", "awardedPence", "offeredPence", "paidPence", "clawedBackPence", "remainingPence", "uncommittedPence"] as const;

function MoneyCells({ figures }: { figures: Figures }) {
  return (
    <>
      {MONEY_KEYS.map((k) => (
        <td key={k} className="whitespace-nowrap">
          {formatPence(figures[k])}
        </td>
      ))}
    </>
  );
}

/** Pot, awarded and paid as bars told apart by pattern, not colour, each with its figure in words beside it. */
function FundBars({ fund }: { fund: DashboardFund & { bars: ReturnType<typeof fundBars> } }) {
  const id = (name: string) => `${name}-${fund.fundId}`;
  return (
    <figure className="mb-6 max-w-3xl" aria-labelledby={id("bars-caption")}>
      <figcaption id={id("bars-caption")} className="mb-2 font-semibold">
        {copy.bars(fund.fundName)}
      </figcaption>
      <svg aria-hidden="true" focusable="false" width="0" height="0" className="absolute">
        <defs>
          <pattern id={id("stripes")} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="8" height="8" className="fill-white" />
            <rect width="4" height="8" className="fill-slate-800" />
          </pattern>
        </defs>
      </svg>
      <ul className="m-0 list-none space-y-2 p-0">
        {fund.bars.map((bar) => (
          <li key={bar.key} className="grid grid-cols-[5rem_1fr] items-center gap-2 sm:grid-cols-[5rem_1fr_16rem]">
            <span className="font-semibold">{bar.label}</span>
            <svg aria-hidden="true" focusable="false" className="h-6 w-full" role="presentation">
              <rect
                x="1"
                y="1"
                height="22"
                width={`${Math.max(1, bar.percent) - 0.5}%`}
                fill={bar.key === "awarded" ? `url(#${id("stripes")})` : undefined}
                className={bar.key === "pot" ? "fill-white stroke-slate-800 stroke-2" : bar.key === "paid" ? "fill-slate-800" : "stroke-slate-800"}
              />
            </svg>
            <span className="col-span-2 sm:col-span-1">{bar.text}</span>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-sm">{copy.barsNote}</p>
    </figure>
  );
}

function NeedsAttention({ items }: { items: AttentionItem[] }) {
  return (
    <section aria-labelledby="needs-attention" className="mb-10">
      <h2 id="needs-attention">{copy.attention}</h2>
      {items.length === 0 ? (
        <p>{copy.attentionNone}</p>
      ) : (
        <>
          <p>{copy.attentionIntro}</p>
          <ul className="space-y-3">
            {items.map((item) => (
              <li key={item.key} className="border-2 border-slate-300 p-4">
                <p className="m-0 text-lg font-bold">
                  <Link to={item.href}>
                    {item.label}: {item.count}
                  </Link>
                </p>
                <ul className="mt-2 list-disc pl-6">
                  {item.entries.map((e) => (
                    <li key={`${e.href}-${e.label}`}>
                      <Link to={e.href}>{e.label}</Link>
                    </li>
                  ))}
                </ul>
                {item.hasMore ? (
                  <p className="mb-0">
                    <Link to={item.href}>{copy.seeAll(item.count)}</Link>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function FundSection({ fund }: { fund: DashboardFund & { bars: ReturnType<typeof fundBars> } }) {
  const rows = [
    ...fund.groups.map((g) => ({ key: g.groupId, name: g.groupName, figures: g as Figures })),
    { key: "total", name: copy.total, figures: fund as Figures },
  ];
  const maxSpend = Math.max(0, ...fund.spendByMonth.map((m) => m.paidPence));
  const headingId = `fund-${fund.fundId}`;
  return (
    <section aria-labelledby={headingId} className="mb-12">
      <h2 id={headingId}>{fund.fundName}</h2>
      <FundBars fund={fund} />
      <DataTable caption={copy.figures(fund.fundName)} columns={copy.columns} isCaptionVisible>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <MoneyCells figures={r.figures} />
          </tr>
        ))}
      </DataTable>
      <DataTable caption={copy.statusCaption(fund.fundName)} columns={[copy.rowHeading, ...AWARD_STATUSES.map((s) => AWARD_STATUS_LABELS[s])]} isCaptionVisible>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            {AWARD_STATUSES.map((s) => (
              <td key={s}>{r.figures.byStatus[s]}</td>
            ))}
          </tr>
        ))}
      </DataTable>
      <DataTable caption={copy.attentionCaption(fund.fundName)} columns={copy.attentionColumns} isCaptionVisible>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <td>{r.figures.overdueReports}</td>
            <td>{r.figures.outstandingConditions}</td>
          </tr>
        ))}
      </DataTable>
      <h3>{copy.spend(fund.fundName)}</h3>
      {fund.spendByMonth.length === 0 ? (
        <p>{copy.noSpend}</p>
      ) : (
        <>
          <p>{copy.spendIntro}</p>
          {/* A text bar chart: each bar has its month and figure written beside it, so it reads without colour. */}
          <ul className="mb-6 max-w-3xl list-none space-y-1 p-0" aria-label={copy.spend(fund.fundName)}>
            {fund.spendByMonth.map((m) => (
              <li key={m.month} className="flex items-center gap-2">
                <span className="w-20 shrink-0">{m.month}</span>
                <svg aria-hidden="true" focusable="false" className="h-4 min-w-0 flex-1" role="presentation">
                  <rect x="0" y="0" height="100%" width={`${Math.max(1, barPercent(Math.max(0, m.paidPence), maxSpend))}%`} className="fill-slate-800" />
                </svg>
                <span className="w-28 shrink-0 whitespace-nowrap">{formatPence(m.paidPence)}</span>
              </li>
            ))}
          </ul>
          <DataTable caption={copy.spend(fund.fundName)} columns={copy.spendColumns}>
            {fund.spendByMonth.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{formatPence(m.paidPence)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      <p>
        <a href={`/funds/${fund.fundId}/360giving.json`}>{copy.openData}</a>
      </p>
    </section>
  );
}

export default function AwardsDashboard() {
  const { funds, dashboard, attention, fundId } = useLoaderData<typeof loader>();
  const query = fundId ? `?${new URLSearchParams({ fundId })}` : "";
  return (
    <div>
      <h1>{copy.title}</h1>
      <p className="max-w-3xl">{copy.intro}</p>
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-4">
        <SelectField
          name="fundId"
          label={copy.fund}
          placeholder={copy.allFunds}
          options={funds.map((f) => ({ value: f.id, label: f.name }))}
          defaultValue={fundId}
        />
        <button type="submit" className="btn mb-6">
          {copy.show}
        </button>
      </Form>
      <NeedsAttention items={attention} />
      <h2>{copy.exports}</h2>
      <ul>
        <li>
          <a href={`/admin/awards/export.csv${query}`}>{copy.exportAwards}</a>
        </li>
        <li>
          <a href={`/admin/payments/export.csv${query}`}>{copy.exportPayments}</a>
        </li>
        <li>
          <a href={`/admin/reports/export.csv${query}`}>{copy.exportReports}</a>
        </li>
      </ul>
      {dashboard.length === 0 ? <p>{copy.none}</p> : dashboard.map((fund) => <FundSection key={fund.fundId} fund={fund} />)}
      <p>
        <Link to="/admin/payments">{copy.toApprove}</Link>
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
