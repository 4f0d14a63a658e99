// npm run db:copy -- --to postgres://user:password@host/database — copies the SQLite portal (DATABASE_PATH, default
// data/portal.db) into an EMPTY PostgreSQL database: migrates it, copies every table in one transaction, then checks
// row counts table by table and the audit chain on PostgreSQL. Safe while the portal runs (it reads one snapshot).
// Exits 0 when every check passes; 1 when the target is not empty, the copy failed (nothing kept) or a check failed;
// 2 when the command is used wrongly or the SQLite file is missing. Uploaded files in UPLOADS_DIR (default data/uploads)
// are carried into the database (stored_file), PostgreSQL's default file store; FILE_STORAGE=disk leaves them on disk.
import fs from "node:fs";
import { withoutPassword } from "./cli";
import { copySqliteToPostgres, CopyRefused, type CopyReport } from "./copy-to-postgres";
import { isPostgresUrl } from "./dialect";

const args = process.argv.slice(2);
const toFlag = args.indexOf("--to");
const to = toFlag >= 0 ? args[toFlag + 1] : undefined;
const from = process.env.DATABASE_PATH || "data/portal.db";
const uploadsDir = process.env.UPLOADS_DIR || "data/uploads";
const fileStorage = process.env.FILE_STORAGE || undefined;

if (!isPostgresUrl(to)) {
  console.error("Usage: npm run db:copy -- --to postgres://user:password@host:5432/database");
  console.error("Copies the SQLite database DATABASE_PATH (default data/portal.db) into an empty PostgreSQL database.");
  process.exit(2);
}
if (fileStorage !== undefined && fileStorage !== "disk" && fileStorage !== "database") {
  console.error('FILE_STORAGE must be "disk" or "database"; leave it unset to carry uploaded files into PostgreSQL.');
  process.exit(2);
}
if (!fs.existsSync(from)) {
  console.error(`No SQLite database at ${from} (set DATABASE_PATH).`);
  process.exit(2);
}

console.log(`Copying ${from} to ${withoutPassword(to)}…`);
try {
  const report = await copySqliteToPostgres({ from, to, uploadsDir: fileStorage === "disk" ? null : uploadsDir });
  printReport(report);
  if (report.problems.length) {
    console.error(`\nThe copy does NOT match:\n${report.problems.map((p) => `- ${p}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(
      `\nCopy verified: ${report.totalRows} rows in ${report.tables.length} tables, row counts equal table by table; ` +
        `audit chain intact on PostgreSQL (${report.targetChain.ok ? report.targetChain.count : 0} events, the same head hash as SQLite).`,
    );
    console.log(
      report.files
        ? `Uploaded files: ${report.files.carried} carried from ${uploadsDir} into the database (${(report.files.bytes / 1024 / 1024).toFixed(1)} MB).`
        : `Uploaded files were left in ${uploadsDir} (FILE_STORAGE=disk): give every app server that folder, and keep FILE_STORAGE=disk.`,
    );
  }
} catch (error) {
  // A refusal is already a sentence; anything else (PostgreSQL unreachable, a dropped connection) is named as it came.
  console.error(
    error instanceof CopyRefused ? error.message : `The copy failed, and nothing was kept: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}

function printReport(report: CopyReport) {
  const width = Math.max(5, ...report.tables.map((t) => t.table.length));
  const line = (name: string, a: string, b: string, note = "") => `${name.padEnd(width)}  ${a.padStart(10)}  ${b.padStart(10)}${note}`;
  console.log("");
  console.log(line("Table", "SQLite", "PostgreSQL"));
  const byName = [...report.tables].sort((a, b) => a.table.localeCompare(b.table));
  for (const t of byName) {
    const note = t.sqlite + (t.fromUploads ?? 0) !== t.postgres ? "  <- differs" : t.fromUploads ? `  (${t.fromUploads} from the uploads folder)` : "";
    console.log(line(t.table, String(t.sqlite), String(t.postgres), note));
  }
  const sqliteTotal = report.tables.reduce((sum, t) => sum + t.sqlite, 0);
  console.log(line("Total", String(sqliteTotal), String(report.totalRows)));
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `\nTime: ${s(report.ms.total)} s in all (migrating ${s(report.ms.migrate)} s, copying ${s(report.ms.copy)} s, checking ${s(report.ms.verify)} s); ` +
      `${report.sequencesReset} sequences reset.`,
  );
}
