// npm run db:backup [-- --to <folder>] — a backup of DATABASE_PATH (default data/portal.db) and UPLOADS_DIR
// (default data/uploads) into a new folder <folder>/<UTC time>/; <folder> is BACKUP_DIR, or backups/.
// Safe while the portal runs. Prints the folder; exits 1 if the backup could not be taken or failed its checks.
import { createBackup } from "./backups";

const args = process.argv.slice(2);
const toFlag = args.indexOf("--to");
const to = (toFlag >= 0 ? args[toFlag + 1] : undefined) || process.env.BACKUP_DIR || "backups";
try {
  const { dir, manifest } = await createBackup({
    databasePath: process.env.DATABASE_PATH || "data/portal.db",
    uploadsDir: process.env.UPLOADS_DIR || "data/uploads",
    to,
  });
  const megabytes = (manifest.database.bytes / 1e6).toFixed(1);
  console.log(
    `Backup written to ${dir}: database ${megabytes} MB (integrity ok, ${manifest.audit.count} audit events, head hash ${manifest.audit.headHash}), ${manifest.uploads.length} uploaded files.`,
  );
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
