import type { LoaderFunctionArgs } from "@remix-run/node";
import { OPEN_DATA_HEADERS, publishedPackage } from "~/utils/three-sixty-giving.server";

/** /funds/:fundId/360giving.json: the fund's accepted and closed awards as a 360Giving package. Public. */
export async function loader({ params }: LoaderFunctionArgs) {
  const pkg = await publishedPackage(params.fundId ?? "");
  return new Response(JSON.stringify(pkg, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", ...OPEN_DATA_HEADERS },
  });
}
