import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/utils/env.server";

/**
 * Two-factor secrets are encrypted at rest (AES-256-GCM), so a copy of the
 * database alone (a stray backup, a read through some future bug) does not
 * give away anyone's codes. The key is TWO_FACTOR_KEY when set; otherwise a
 * random key kept in `two-factor.key` beside the database file, made on first
 * use (docs/decisions/0020-two-factor-sign-in.md). The person's id is bound in
 * as associated data, so a secret copied onto another account does not decrypt.
 */

const VERSION = "v1";
const KEY_FILE = "two-factor.key";

const keys = new Map<string, Buffer>();

/** The key file's path: beside the SQLite file. */
export function twoFactorKeyFile(): string {
  return path.join(path.dirname(path.resolve(getEnv().DATABASE_PATH)), KEY_FILE);
}

function key(): Buffer {
  const { TWO_FACTOR_KEY } = getEnv();
  if (TWO_FACTOR_KEY) return Buffer.from(TWO_FACTOR_KEY, "hex");
  const file = twoFactorKeyFile();
  const cached = keys.get(file);
  if (cached) return cached;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": two processes starting at once cannot both write a key; the loser reads the winner's.
    fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const hex = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${file} does not hold a 64-character hexadecimal key`);
  const loaded = Buffer.from(hex, "hex");
  keys.set(file, loaded);
  return loaded;
}

/** Encrypts a base32 TOTP secret for one person. */
export function sealSecret(userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(userId, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/** The base32 secret, or null when it cannot be decrypted (another key, another person, or tampered with). */
export function openSecret(userId: string, sealed: string): string | null {
  const [version, payload] = sealed.split(":");
  if (version !== VERSION || !payload) return null;
  const raw = Buffer.from(payload, "base64url");
  if (raw.length < 29) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(userId, "utf8"));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
