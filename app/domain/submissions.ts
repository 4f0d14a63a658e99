/**
 * One-time submission keys (issue 9, docs/decisions/0017-one-time-submission-keys.md).
 *
 * Every page carries a fresh random key in its forms (beside the CSRF token).
 * A service that creates money or a record runs its work once per key and
 * person: a double click, a replay or parallel copies of the same form get
 * the first result back instead of doing it again. Pure: no I/O.
 */
import { DomainError } from "./errors";

/** The hidden field every form carries, rendered by <CsrfInput />. */
export const SUBMISSION_FIELD = "submissionKey";

/** What a form's key says about this submission; `repeated` is set once a service has found it was sent before. */
export interface Submission {
  key: string;
  /** A hash of the form's fields, so a different form sent with the same key is told apart from a repeat. */
  fingerprint: string;
  repeated: boolean;
}

/** A key as issued: 16 random bytes in base64url (22 characters); anything else is ignored. */
export const isSubmissionKey = (value: unknown): value is string => typeof value === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(value);

/**
 * The same key came with different fields: an older copy of a page was used
 * for a second, different form. Refused rather than mistaken for a repeat.
 */
export class StaleSubmissionError extends DomainError {
  constructor() {
    super("This page was already used to send a form. Reload the page, check what was saved, and send it again if you still need to.");
    this.name = "StaleSubmissionError";
  }
}
