import type { LoaderFunctionArgs } from "@remix-run/node";
import { threeSixtyGivingCsv } from "~/domain/three-sixty-giving";
import { OPEN_DATA_HEADERS, publishedPackage } from "~/utils/three-sixty-giving.server";

/** /funds/:fundId/360giving.csv: the same grants as the JSON, under the standard's column titles. Public. */
export async function loader({ params }: LoaderFunctionArgs) {
  const pkg = await publishedPackage(params.fundId ?? "");
  return new Response(threeSixtyGivingCsv(pkg), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="360giving-${params.fundId ?? "fund"}.csv"`,
      ...OPEN_DATA_HEADERS,
    },
  });
}
