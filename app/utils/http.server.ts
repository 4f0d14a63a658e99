import { json } from "@remix-run/node";

/** 400 with field errors and the user's input, for a form to re-render. */
export function badRequest<T>(data: T) {
  return json(data, { status: 400 });
}

/** Throwable 403. */
export function forbidden(message = "You do not have permission to do that."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** Throwable 404. */
export function notFound(message = "We could not find that page."): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) {
    return fallback;
  }
  return to;
}
