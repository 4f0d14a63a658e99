import type { MeetingResult } from "~/domain/public-meeting";
import { DataTable } from "./ui/data-table";

const copy = {
  caption: (title: string) => `Result: ${title}`,
  columns: { majority: "Answer", approval: "Idea", points: "Idea" },
  phone: "By phone",
  hands: "By show of hands",
  total: "Total",
  chosen: "Chosen",
  turnout: (phone: number, hands: number) => `Turnout: ${phone + hands} (${phone} by phone, ${hands} by show of hands)`,
  yes: "Yes",
};

/** A question's count: phone votes and show-of-hands counts in their own labelled columns, then the total; the outcome in words. */
export function PublicMeetingResult({ title, result, isLarge = false }: { title: string; result: MeetingResult; isLarge?: boolean }) {
  return (
    <div className={isLarge ? "text-3xl" : ""}>
      <p className="font-bold">{result.outcome}</p>
      <p>{copy.turnout(result.phoneVoters, result.handsVoters)}</p>
      <DataTable caption={copy.caption(title)} columns={[copy.columns[result.rule], copy.phone, copy.hands, copy.total, copy.chosen]}>
        {result.rows.map((row) => (
          <tr key={row.key}>
            <td>{row.label}</td>
            <td>{row.phone}</td>
            <td>{row.hands}</td>
            <td className="font-bold">{row.total}</td>
            <td>{row.isWinner ? copy.yes : ""}</td>
          </tr>
        ))}
      </DataTable>
      {isLarge ? null : <p className="text-slate-700">{result.explanation}</p>}
    </div>
  );
}
