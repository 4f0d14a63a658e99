import { createHash } from "node:crypto";
import { json, type TypedResponse } from "@remix-run/node";
import type { z } from "zod";
import { DomainError } from "~/domain/errors";
import { isSubmissionKey, SUBMISSION_FIELD, type Submission } from "~/domain/submissions";
import { parseForm, type FieldErrors, type FormValues } from "./forms";

export interface SubmitFormOptions<E extends object> {
  /** More for the page on a 400, e.g. which of its forms was sent. */
  extra?: E;
  /** Values kept besides the input, e.g. the button that was pressed. */
  values?: FormValues;
  /** Where a DomainError with no field of its own is shown ("form", the top of the page, unless said). */
  errorField?: string;
  /** The fields this page shows, when not all the schema's: a message for any other goes to the top ("form"). */
  fields?: readonly string[];
}

export type FormErrorData<E extends object = object> = E & { errors: FieldErrors; values: FormValues };

/** The parsed form, with the form's one-time submission key (null when it sent none) for the service to pass on. */
export type WithSubmission<T> = T & { readonly submission: Submission | null };

/**
 * The form's one-time submission key and a fingerprint of its other fields
 * (the CSRF token and the key left out), or null when it carries no key.
 */
export function readSubmission(form: FormData | URLSearchParams): Submission | null {
  const key = form.get(SUBMISSION_FIELD);
  if (!isSubmissionKey(key)) return null;
  const fields: string[] = [];
  for (const [name, value] of form.entries()) {
    if (name === "csrf" || name === SUBMISSION_FIELD) continue;
    fields.push(JSON.stringify([name, typeof value === "string" ? value : `file:${value.name}:${value.size}:${value.type}`]));
  }
  const fingerprint = createHash("sha256").update(fields.sort().join("\n")).digest("hex");
  return { key, fingerprint, repeated: false };
}

/** A repeat of a form that redirected answers with the same place as a 303 (See Other): the first one did the work. */
function asRepeat<R>(result: R, submission: Submission | null): R {
  if (!submission?.repeated || !(result instanceof Response) || result.status < 300 || result.status >= 400) return result;
  return new Response(null, { status: 303, headers: result.headers }) as R;
}

/**
 * The one way a route handles a form: parse it with the form's zod schema,
 * answer 400 { errors, values } if it does not pass, otherwise run `handle`
 * (call the service, redirect). A DomainError thrown by `handle` becomes a
 * 400 with its message on its field and the input kept; anything else
 * (a thrown Response, a bug) is rethrown.
 *
 * `data.submission` carries the form's one-time key (not enumerable, so it
 * never leaks into a spread or an audit record): a service that creates money
 * or a record takes it and runs once per key (onceForSubmission). A repeat
 * that the service recognised gets the first one's redirect, as a 303.
 */
export async function submitForm<S extends z.ZodTypeAny, R, E extends object = object>(
  form: FormData | URLSearchParams,
  schema: S,
  handle: (data: WithSubmission<z.output<S>>, values: FormValues) => Promise<R> | R,
  options: SubmitFormOptions<E> = {},
): Promise<R | TypedResponse<FormErrorData<E>>> {
  const parsed = parseForm(schema, form);
  const values = { ...parsed.values, ...options.values };
  const shown = (errors: FieldErrors): FieldErrors => {
    if (!options.fields) return errors;
    const onPage: FieldErrors = {};
    for (const [field, message] of Object.entries(errors)) onPage[options.fields.includes(field) ? field : "form"] ??= message;
    return onPage;
  };
  if (!parsed.ok) return formError(shown(parsed.errors), values, options.extra);
  const submission = readSubmission(form);
  const data = parsed.data as WithSubmission<z.output<S>>;
  if (data !== null && typeof data === "object") Object.defineProperty(data, "submission", { value: submission, enumerable: false });
  try {
    return asRepeat(await handle(data, values), submission);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return formError(shown({ [error.field ?? options.errorField ?? "form"]: error.message }), values, options.extra);
  }
}

/** A 400 for a form: the messages by field, the input to keep, and anything else the page needs. */
export function formError<E extends object = object>(errors: FieldErrors, values: FormValues = {}, extra?: E): TypedResponse<FormErrorData<E>> {
  return json({ ...(extra as E), errors, values }, { status: 400 });
}
