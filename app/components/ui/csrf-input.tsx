import { useRouteLoaderData } from "@remix-run/react";
import type { RootLoaderData } from "~/root";

/** The hidden form token every non-GET form must carry. */
export function CsrfInput() {
  const data = useRouteLoaderData("root") as RootLoaderData | undefined;
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}
