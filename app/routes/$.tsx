import type { MetaFunction } from "@remix-run/node";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/error-boundary";
import { notFound } from "~/utils/http.server";

// Any path no other route matches: a plain-English 404 inside the site layout.
// The page is always the error boundary's, so its title is too (not the portal's bare name).
export const meta: MetaFunction = ({ error }) => [{ title: errorPageTitle(error) }];

export function loader() {
  throw notFound();
}

export function action() {
  throw notFound();
}

export default function NotFound() {
  return null;
}

export const ErrorBoundary = GeneralErrorBoundary;
