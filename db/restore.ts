// npm run db:restore -- <backup folder> [--force] — replaces DATABASE_PATH (default data/portal.db) and
// UPLOADS_DIR (default data/uploads) with a backup made by npm run db:backup. Stop the portal first.
// Checks the backup (sha256 of every file, integrity_check, the audit chain) before it replaces anything;
// keeps what it replaced beside it. Exits 1 when it refuses, saying why.
import { restoreBackup, RestoreRefused } from "./backups";

const args = process.argv.slice(2);
const force = args.includes("--force");
const backupDir = args.find((a) => !a.startsWith("--"));
if (!backupDir) {
  console.error("Say which backup to restore: npm run db:restore -- backups/<time> [--force]");
  process.exit(2);
}
try {
  const result = await restoreBackup({
    backupDir,
    databasePath: process.env.DATABASE_PATH || "data/portal.db",
    uploadsDir: process.env.UPLOADS_DIR || "data/uploads",
    force,
  });
  console.log(
    `Restored the backup of ${result.manifest.createdAt}: ${result.manifest.audit.count} audit events (chain verified), ${result.manifest.uploads.length} uploaded files.`,
  );
  if (result.keptDatabase) console.log(`The database it replaced is kept at ${result.keptDatabase}.`);
  if (result.keptUploads) console.log(`The uploads it replaced are kept at ${result.keptUploads}.`);
  if (result.erasedSinceBackup.length) {
    console.log(
      `WARNING: ${result.erasedSinceBackup.length} people were erased after this backup was made, so their personal data is back. Erase them again (Admin, People): ${result.erasedSinceBackup.join(", ")}`,
    );
  }
} catch (error) {
  console.error(`${error instanceof RestoreRefused ? "Restore refused" : "Restore failed"}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
