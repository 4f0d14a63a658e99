import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { READABLE_ALPHABET } from "~/domain/public-meeting";

export const newId = (): string => randomUUID();

/** 128 bits or more of randomness, URL-safe. */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

export const nowIso = (): string => new Date().toISOString();

/** A code people read and type: letters and digits nobody mixes up (no 0/O, 1/I/L), uniformly random. */
export const newReadableCode = (length: number): string => Array.from({ length }, () => READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)]).join("");
