/**
 * CSV (RFC 4180) writing and reading. Pure: no I/O.
 *
 * Exports go to spreadsheets, which run any cell that starts with = + - @
 * (or a tab or carriage return) as a formula. Such cells are neutralised by a
 * leading single quote, the OWASP "CSV injection" advice, so a proposal title
 * like "=HYPERLINK(…)" is shown as text and never executed.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that a spreadsheet would run as a formula, made inert with a leading quote. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One cell, quoted when it holds a comma, quote, CR or LF (quotes doubled). */
export function csvCell(value: string | number | null | undefined, options: { neutralise?: boolean } = {}): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? String(value) : value;
  if (options.neutralise !== false && typeof value === "string") text = neutraliseFormula(text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows to CSV text: CRLF line ends (RFC 4180) and a trailing CRLF. With
 * `bom`, a UTF-8 byte order mark leads, so Excel reads £ and accents right.
 * Numbers are written as they are; strings are neutralised against formulas.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>, options: { bom?: boolean } = {}): string {
  const body = rows.map((row) => row.map((cell) => csvCell(cell)).join(",")).join("\r\n");
  return `${options.bom ? "\uFEFF" : ""}${body}${rows.length ? "\r\n" : ""}`;
}

export class CsvParseError extends Error {
  constructor(
    message: string,
    /** The 1-based record (spreadsheet row) where the problem starts. */
    readonly row: number,
  ) {
    super(message);
    this.name = "CsvParseError";
  }
}

/**
 * CSV text to records (arrays of cells). Accepts CRLF, LF or CR line ends,
 * a leading UTF-8 BOM, quoted cells with embedded commas, quotes ("") and
 * line breaks. A final line break does not make an extra record.
 * Throws CsvParseError for a quote that is never closed or stray text after one.
 */
export function parseCsv(input: string): string[][] {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let inQuotes = false;
  let wasQuoted = false;
  let quoteStartRow = 1;
  let i = 0;

  const endCell = () => {
    record.push(cell);
    cell = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    records.push(record);
    record = [];
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i += 1;
        continue;
      }
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (cell.length > 0 || wasQuoted) {
        throw new CsvParseError(
          `Row ${records.length + 1}: a quote mark appears in the middle of a cell. Put quotes round the whole cell and double any quote inside it.`,
          records.length + 1,
        );
      }
      inQuotes = true;
      wasQuoted = true;
      quoteStartRow = records.length + 1;
      i += 1;
      continue;
    }
    if (wasQuoted && ch !== "," && ch !== "\r" && ch !== "\n") {
      throw new CsvParseError(`Row ${records.length + 1}: there is text after the closing quote of a cell.`, records.length + 1);
    }
    if (ch === ",") {
      endCell();
      i += 1;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    cell += ch;
    i += 1;
  }
  if (inQuotes) {
    throw new CsvParseError(`Row ${quoteStartRow}: a quoted cell is never closed. Check for a missing quote mark.`, quoteStartRow);
  }
  // The last record, unless the text ended with a line break (or was empty).
  if (cell.length > 0 || wasQuoted || record.length > 0) endRecord();
  return records;
}
