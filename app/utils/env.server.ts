import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default("data/portal.db"),
  PORT: z.coerce.number().int().positive().default(3000),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Grant portal <no-reply@portal.invalid>"),
  /** Where uploaded attachments are kept: outside public/, so only the download route can serve them. */
  UPLOADS_DIR: z.string().min(1).default("data/uploads"),
  /** 64 hex characters: the key that encrypts two-factor secrets at rest. Unset: a key file beside the database (app/auth/two-factor-secret.server.ts). */
  TWO_FACTOR_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "TWO_FACTOR_KEY must be 64 hexadecimal characters (32 bytes)")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema> & { APP_URL: string; isProduction: boolean };

/** Reads and checks the environment each call, so tests can point DATABASE_PATH elsewhere. */
export function getEnv(): Env {
  const parsed = EnvSchema.parse({
    ...process.env,
    SMTP_URL: process.env.SMTP_URL || undefined,
    APP_URL: process.env.APP_URL || undefined,
    TWO_FACTOR_KEY: process.env.TWO_FACTOR_KEY || undefined,
  });
  return {
    ...parsed,
    APP_URL: parsed.APP_URL ?? `http://localhost:${parsed.PORT}`,
    isProduction: parsed.NODE_ENV === "production",
  };
}
