// Storage faults: the disk is full, the database file is read-only, or the disk fails. SQLite
// rolls the transaction back, so nothing partial is kept; the person is told plainly that
// nothing was saved (503, not 500). inTransaction (db/client.ts) is the one place that maps them.

/** better-sqlite3's SqliteError codes (extended codes begin with these, e.g. SQLITE_IOERR_WRITE). */
export const STORAGE_FAULT_CODES = ["SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN"] as const;

export const STORAGE_FAULT_MESSAGE =
  "The portal cannot save changes right now, so nothing you sent was saved. Please try again later. If this keeps happening, tell the fund administrator: the server's disk may be full or read-only.";

/** PostgreSQL's SQLSTATEs for the same faults: disk full, read-only transaction (a standby), I/O error. */
export const POSTGRES_STORAGE_FAULT_CODES = ["53100", "25006", "58030"] as const;

export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return STORAGE_FAULT_CODES.some((base) => code === base || code.startsWith(`${base}_`)) || (POSTGRES_STORAGE_FAULT_CODES as readonly string[]).includes(code);
}

/** The 503 a storage fault becomes; routes' error boundaries show its text. Logs the SQLite error for the operator. */
export function storageFaultResponse(error: unknown): Response {
  console.error(`Storage fault, answered 503: ${String((error as { code?: unknown }).code)} ${error instanceof Error ? error.message : ""}`);
  return new Response(STORAGE_FAULT_MESSAGE, {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "300" },
  });
}
