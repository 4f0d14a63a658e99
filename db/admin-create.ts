// npm run admin:create -- --email you@example.org --name "Your Name" [--password-stdin]
// Creates an administrator's account: how a deployment (no demo accounts) gets its first one.
// Without --password-stdin it generates a strong password and prints it once.
import path from "node:path";
import url from "node:url";
import { parseArgs } from "node:util";
import { DomainError } from "~/domain/errors";
import { createAdministrator } from "~/services/administrators.server";
import { getEnv } from "~/utils/env.server";
import { newToken } from "~/utils/ids.server";
import { migrateToLatest, type DB } from "./client";
import { openCliDb } from "./cli";

export const USAGE = 'Usage: npm run admin:create -- --email you@example.org --name "Your Name" [--password-stdin]';

export interface AdminCreateIo {
  /** Everything on standard input (only read with --password-stdin). */
  readStdin: () => Promise<string>;
  log: (line: string) => void;
  error: (line: string) => void;
}

/** The command, given its arguments; returns the exit code (0 made, 1 refused, 2 wrong arguments). */
export async function runAdminCreate(db: DB, argv: string[], io: AdminCreateIo): Promise<number> {
  let values: { email?: string; name?: string; "password-stdin"?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { email: { type: "string" }, name: { type: "string" }, "password-stdin": { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    io.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.email || !values.name) {
    io.error(`Give both --email and --name.\n${USAGE}`);
    return 2;
  }
  const isGenerated = !values["password-stdin"];
  // 144 random bits as 24 URL-safe characters: nothing to guess, nothing common.
  const password = isGenerated ? newToken(18) : ((await io.readStdin()).split(/\r?\n/)[0] ?? "");
  try {
    await createAdministrator(db, { email: values.email, name: values.name, password });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    io.error(`Not created: ${error.message}.`);
    return 1;
  }
  io.log(`Administrator created: ${values.name.trim()} <${values.email.trim().toLowerCase()}>. Sign in at ${getEnv().APP_URL}/login`);
  if (isGenerated) io.log(`Password (shown once; keep it in a password manager): ${password}`);
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url);
if (isMain) {
  const { db } = openCliDb();
  await migrateToLatest(db);
  const code = await runAdminCreate(db, process.argv.slice(2), {
    readStdin: () => readAll(process.stdin),
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  });
  await db.destroy();
  process.exit(code);
}
