import { GeneralErrorBoundary } from "~/components/error-boundary";
import { notFound } from "~/utils/http.server";

// Any path no other route matches: a plain-English 404 inside the site layout.
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
