import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("data/portal.db"),
  /** Set to a postgres:// URL to use PostgreSQL instead of the SQLite file at DATABASE_PATH (docs/decisions/0051). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, "DATABASE_URL must be a postgres:// URL; leave it unset to use SQLite (DATABASE_PATH)")
    .optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Grant portal <no-reply@portal.invalid>"),
  /** Where uploaded attachments are kept: outside public/, so only the download route can serve them. */
  UPLOADS_DIR: z.string().min(1).default("data/uploads"),
  /** Where uploaded files' bytes live: "disk" (UPLOADS_DIR) or "database" (stored_file). Unset: the database on PostgreSQL, the disk on SQLite (docs/decisions/0054). */
  FILE_STORAGE: z.enum(["disk", "database"], { message: 'FILE_STORAGE must be "disk" or "database"; leave it unset for the default' }).optional(),
  /** 64 hex characters: the key that encrypts two-factor secrets at rest. Unset: a key file beside the database (app/auth/two-factor-secret.server.ts). */
  TWO_FACTOR_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "TWO_FACTOR_KEY must be 64 hexadecimal characters (32 bytes)")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema> & { APP_URL: string; isProduction: boolean };

/** The variables EnvSchema reads: getEnv parses again only when one of them changes. */
const VARIABLES = [
  "NODE_ENV",
  "DATABASE_PATH",
  "DATABASE_URL",
  "PORT",
  "APP_URL",
  "SMTP_URL",
  "MAIL_FROM",
  "UPLOADS_DIR",
  "FILE_STORAGE",
  "TWO_FACTOR_KEY",
] as const;
let last: { key: string; env: Env } | undefined;

/**
 * The checked environment. It follows process.env, so tests can point DATABASE_PATH
 * elsewhere, but parses only when a variable has changed: getDb() calls it on every
 * request, and parsing each time was 2–3% of a /healthz request's CPU (issue 11, item 7).
 */
export function getEnv(): Env {
  const key = VARIABLES.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (last?.key === key) return last.env;
  const parsed = EnvSchema.parse({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    SMTP_URL: process.env.SMTP_URL || undefined,
    APP_URL: process.env.APP_URL || undefined,
    TWO_FACTOR_KEY: process.env.TWO_FACTOR_KEY || undefined,
    FILE_STORAGE: process.env.FILE_STORAGE || undefined,
  });
  const env = {
    ...parsed,
    APP_URL: parsed.APP_URL ?? `http://localhost:${parsed.PORT}`,
    isProduction: parsed.NODE_ENV === "production",
  };
  last = { key, env };
  return env;
}
