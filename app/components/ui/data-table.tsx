import type { ReactNode } from "react";

/**
 * Props for the box a wide table scrolls in at 320 px: a named region that
 * keyboard users can focus and scroll (axe: scrollable-region-focusable).
 */
export const scrollRegion = (label: string) => ({ className: "relative overflow-x-auto", role: "region", "aria-label": label, tabIndex: 0 }) as const;

/**
 * A captioned table in a scroll region that keyboard users can focus, so wide
 * tables scroll inside themselves at 320 px instead of the page scrolling.
 * Children are the body rows.
 */
export function DataTable({
  caption,
  columns,
  children,
  className = "table",
  isCaptionVisible = false,
}: {
  caption: string;
  columns: readonly ReactNode[];
  children: ReactNode;
  className?: string;
  isCaptionVisible?: boolean;
}) {
  return (
    <div {...scrollRegion(caption)}>
      <table className={className}>
        <caption className={isCaptionVisible ? "mb-2 text-left font-semibold" : "sr-only"}>{caption}</caption>
        <thead>
          <tr>
            {/* A column with no heading (a corner above row headings) is a plain cell: an empty <th> names nothing (axe: empty-table-header). */}
            {columns.map((c, i) =>
              c === "" ? (
                <td key={i} />
              ) : (
                <th key={i} scope="col">
                  {c}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
