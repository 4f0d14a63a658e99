import { describe, expect, it } from "vitest";
import { csvCell, CsvParseError, neutraliseFormula, parseCsv, toCsv } from "~/domain/csv";

describe("writing CSV", () => {
  it("leaves plain cells alone and ends every row with CRLF", () => {
    expect(
      toCsv([
        ["a", "b"],
        ["c", 12],
      ]),
    ).toBe("a,b\r\nc,12\r\n");
  });

  it("quotes cells with commas, quotes or line breaks, doubling the quotes", () => {
    expect(csvCell("Hall, roof")).toBe('"Hall, roof"');
    expect(csvCell('The "best" hall')).toBe('"The ""best"" hall"');
    expect(csvCell("line one\nline two")).toBe('"line one\nline two"');
    expect(csvCell("carriage\rreturn")).toBe('"carriage\rreturn"');
  });

  it("writes null and undefined as empty cells", () => {
    expect(toCsv([[null, undefined, ""]])).toBe(",,\r\n");
  });

  it.each(["=1+1", "+44 117", "-2", "@SUM(A1)", "\tTabbed", "\rReturn"])("neutralises %j so a spreadsheet shows it as text", (value) => {
    expect(neutraliseFormula(value)).toBe(`'${value}`);
  });

  it("neutralises a formula and still quotes it when it has a comma", () => {
    expect(csvCell('=HYPERLINK("http://evil.example","Click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
  });

  it("does not touch numbers, even negative ones, or text with = later on", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("can lead with a UTF-8 byte order mark so Excel reads £ correctly", () => {
    expect(toCsv([["£5"]], { bom: true })).toBe("\uFEFF£5\r\n");
  });
});

describe("reading CSV", () => {
  it("reads plain rows with CRLF, LF or CR line ends", () => {
    expect(parseCsv("a,b\r\nc,d\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("a,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("a,b\rc,d\r")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("reads quoted cells with commas, doubled quotes and line breaks inside", () => {
    const text = 'title,summary\r\n"Hall, roof","He said ""fix it""\r\nthen left"\r\n';
    expect(parseCsv(text)).toEqual([
      ["title", "summary"],
      ["Hall, roof", 'He said "fix it"\r\nthen left'],
    ]);
  });

  it("strips a leading UTF-8 byte order mark", () => {
    expect(parseCsv("\uFEFFdecision_group,title\nEast,Roof")).toEqual([
      ["decision_group", "title"],
      ["East", "Roof"],
    ]);
  });

  it("keeps empty cells, including a quoted empty cell at the end", () => {
    expect(parseCsv('a,,""\n,,')).toEqual([
      ["a", "", ""],
      ["", "", ""],
    ]);
  });

  it("reads back what it writes, formulas neutralised", () => {
    const rows = [["=cmd", "x, y", 'q"uote', "multi\nline", "£1,234.50"]];
    expect(parseCsv(toCsv(rows, { bom: true }))).toEqual([["'=cmd", "x, y", 'q"uote', "multi\nline", "£1,234.50"]]);
  });

  it("gives an empty list for empty text", () => {
    expect(parseCsv("")).toEqual([]);
  });

  it("refuses a quoted cell that is never closed, naming the row it starts on", () => {
    expect(() => parseCsv('a,b\n"open,c\nd')).toThrow(CsvParseError);
    expect(() => parseCsv('a,b\n"open,c\nd')).toThrow(/Row 2: a quoted cell is never closed/);
  });

  it("refuses text after a closing quote and a quote in the middle of a cell", () => {
    expect(() => parseCsv('"done"x,b')).toThrow(/text after the closing quote/);
    expect(() => parseCsv('ab"c,d')).toThrow(/quote mark appears in the middle/);
  });
});
