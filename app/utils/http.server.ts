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

const hasControlCharacter = (value: string) => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in.
 * Control characters are refused too: browsers strip tabs and newlines from a
 * Location, so "/\t/evil.example" would become "//evil.example".
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || hasControlCharacter(to)) {
    return fallback;
  }
  return to;
}
