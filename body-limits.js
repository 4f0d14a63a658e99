// Request body limits, applied in server.js before Remix reads a byte of the body.
// Without them an anonymous 60 MB form post was read into memory before it was
// refused (the process grew from 207 MB to 552 MB). See decision record 0018.

import { clearTimeout, setTimeout } from "node:timers";

const MB = 1024 * 1024;

/** Any form, and any body sent to a page that takes no files. */
export const MAX_FORM_BYTES = 1 * MB;
/** One file, as the upload routes take it (app/domain/file-type.ts MAX_ATTACHMENT_BYTES); they refuse a bigger file part with their own message. */
export const MAX_FILE_BYTES = 10 * MB;

/**
 * The pages that take files, and the most each whole body may be: its files
 * plus 1 MB for the other fields and the multipart framing. A multipart body
 * sent anywhere else gets MAX_FORM_BYTES. Keep in step with the routes that
 * call readVerifiedMultipart (tests/unit/body-limits.test.ts checks).
 */
export const UPLOAD_LIMITS = [
  // One attachment to a proposal: proposals.$proposalId.attachments.tsx
  { path: /^\/proposals\/[^/]+\/attachments\/?$/, maxBytes: MAX_FILE_BYTES + MAX_FORM_BYTES },
  // One file of evidence for an award's condition: awards.$awardId._index.tsx
  { path: /^\/awards\/[^/]+\/?$/, maxBytes: MAX_FILE_BYTES + MAX_FORM_BYTES },
  // A monitoring report with up to five files: awards.$awardId.reports.$reportId.tsx
  { path: /^\/awards\/[^/]+\/reports\/[^/]+\/?$/, maxBytes: 5 * MAX_FILE_BYTES + MAX_FORM_BYTES },
  // A CSV import of 2 MB or less: admin.proposals.import.tsx
  { path: /^\/admin\/proposals\/import\/?$/, maxBytes: 2 * MB + MAX_FORM_BYTES },
];

/** The most a body to this path with this Content-Type may be, in bytes. */
export function bodyLimitFor(path, contentType) {
  const isMultipart = String(contentType ?? "")
    .toLowerCase()
    .startsWith("multipart/form-data");
  if (!isMultipart) return MAX_FORM_BYTES;
  return UPLOAD_LIMITS.find((u) => u.path.test(path))?.maxBytes ?? MAX_FORM_BYTES;
}

/** How long the rest of a body over its limit is read and thrown away before the connection is cut. */
const LINGER_MS = 10_000;

const megabytes = (bytes) => `${Math.floor(bytes / MB)} MB`;

/** Answers 413 with a plain page. The connection stays open, so a client still sending reads it instead of a broken connection. */
function refuse(res, limit) {
  res.locals.isBodyRefused = true;
  res
    .status(413)
    .type("html")
    .send(
      '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Too large to accept</title></head>' +
        "<body><main><h1>What you sent is too large, so we did not accept it</h1>" +
        `<p>A form can be at most ${megabytes(MAX_FORM_BYTES)}. Each file must be ${megabytes(MAX_FILE_BYTES)} or smaller, ` +
        `and this page takes at most ${megabytes(limit)} in all.</p>` +
        "<p>Go back, make the file smaller or send fewer files at once, and try again.</p>" +
        '<p><a href="/">Go to the home page</a></p></main></body></html>',
    );
}

/**
 * Express middleware, before Remix: a body whose Content-Length is over its
 * limit is refused with 413 before any of it is read; a body without one
 * (chunked) is counted as it arrives and refused as soon as it passes the
 * limit. The bytes over the limit never reach Remix, and neither does the end
 * of the body, so a refused form can never be acted on: after the 413 the
 * request ends in an error, which the action reads as an unreadable form.
 */
export function bodyLimits(req, res, next) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const limit = bodyLimitFor(req.path, req.get("content-type"));
  const declared = req.get("content-length");
  if (declared !== undefined && !(Number(declared) <= limit)) return refuse(res, limit);

  // Count what the HTTP parser hands the request, before anyone reads it.
  let received = 0;
  let isOver = false;
  let cutOff = null;
  const push = req.push;
  req.push = function countedPush(chunk, encoding) {
    if (isOver) {
      // Nothing more reaches the request, not even its end: the rest is read and thrown away, so
      // the client, still sending, reads the 413 and the connection can serve its next request.
      if (chunk === null) clearTimeout(cutOff);
      return true;
    }
    if (chunk !== null && chunk !== undefined) {
      received += chunk.length;
      if (received > limit) {
        isOver = true;
        if (!res.headersSent) refuse(res, limit);
        // Whoever is reading the body (Remix) gets an error, never a cut-off form; the listener keeps an unread body from crashing the process.
        req.on("error", () => {});
        req.emit("error", new Error("The request body was over its limit"));
        // A client that goes on sending is cut off.
        cutOff = setTimeout(() => req.socket?.destroy(), LINGER_MS).unref();
        return true;
      }
    }
    return push.call(this, chunk, encoding);
  };
  next();
}

/** Wraps Remix's handler: once a 413 has gone out, whatever Remix then makes of the cut-off request is dropped. */
export function unlessBodyRefused(handler) {
  return (req, res, next) =>
    handler(req, res, (error) => {
      if (res.locals.isBodyRefused) return;
      next(error);
    });
}
