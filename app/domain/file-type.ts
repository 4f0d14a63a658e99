/**
 * What a file really is, from its first bytes. The file's name and the type
 * the browser claims are never trusted: a renamed program must not be
 * stored as a "PDF" and served back to a lead organisation's computer.
 */

export interface FileType {
  mime: string;
  extension: string;
  label: string;
}

export const FILE_TYPES = {
  pdf: { mime: "application/pdf", extension: "pdf", label: "PDF" },
  jpeg: { mime: "image/jpeg", extension: "jpg", label: "JPEG image" },
  png: { mime: "image/png", extension: "png", label: "PNG image" },
  docx: {
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension: "docx",
    label: "Word document (.docx)",
  },
} as const satisfies Record<string, FileType>;

/** Every type we accept, by its stored MIME type. */
export const ALLOWED_MIME_TYPES: readonly string[] = Object.values(FILE_TYPES).map((t) => t.mime);

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const PDF = ascii("%PDF-");
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_LOCAL_FILE = [0x50, 0x4b, 0x03, 0x04];
const WORD_DOCUMENT = ascii("word/document.xml");

function contains(bytes: Uint8Array, needle: readonly number[]): boolean {
  const first = needle[0];
  outer: for (let i = bytes.indexOf(first ?? 0); i !== -1 && i <= bytes.length - needle.length; i = bytes.indexOf(first ?? 0, i + 1)) {
    for (let j = 1; j < needle.length; j += 1) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The file's type from its magic bytes, or null when it is not one we accept.
 * A .docx is a ZIP archive with a "word/document.xml" entry; entry names are
 * stored uncompressed in the ZIP headers, so a byte search finds it. Other ZIPs
 * (a renamed .zip, .xlsx or .odt) are refused.
 */
export function sniffFileType(bytes: Uint8Array): FileType | null {
  if (startsWith(bytes, PDF)) return FILE_TYPES.pdf;
  if (startsWith(bytes, PNG)) return FILE_TYPES.png;
  if (startsWith(bytes, JPEG)) return FILE_TYPES.jpeg;
  if (startsWith(bytes, ZIP_LOCAL_FILE) && contains(bytes, WORD_DOCUMENT)) return FILE_TYPES.docx;
  return null;
}

/**
 * A filename that is safe in a Content-Disposition header and on any disk:
 * letters, digits, spaces, dots, dashes and underscores only, no path, at most
 * 100 characters, ending in the extension of the type we found.
 */
export function safeDownloadName(originalName: string, type: Pick<FileType, "extension">): string {
  const base = (originalName.split(/[/\\]/).pop() ?? "")
    .replace(/\.[^.]*$/, "")
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ._-]/g, "")
    .replace(/^[.\s]+/, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return `${base || "attachment"}.${type.extension}`;
}

/** The type we stored for a MIME type, for building a download's headers. */
export function fileTypeForMime(mime: string): FileType | null {
  return Object.values(FILE_TYPES).find((t) => t.mime === mime) ?? null;
}

/** "2.4 MB", "830 KB", "20 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes < 1024) return `${bytes} bytes`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
