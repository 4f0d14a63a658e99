import { describe, expect, it } from "vitest";
import { FILE_TYPES, safeDownloadName, sniffFileType } from "~/domain/file-type";

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

describe("recognising a file from its content", () => {
  it("a PDF is recognised from %PDF-", () => {
    expect(sniffFileType(bytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"))).toBe(FILE_TYPES.pdf);
  });

  it("a JPEG is recognised from FF D8 FF", () => {
    expect(sniffFileType(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF"))).toBe(FILE_TYPES.jpeg);
  });

  it("a PNG is recognised from its eight-byte signature", () => {
    expect(sniffFileType(bytes(PNG_SIGNATURE, [0, 0, 0, 13], "IHDR"))).toBe(FILE_TYPES.png);
  });

  it("a Word document is a ZIP with a word/document.xml entry", () => {
    expect(sniffFileType(bytes(ZIP, [20, 0, 0, 0], "[Content_Types].xml....", ZIP, "word/document.xml"))).toBe(FILE_TYPES.docx);
  });

  it("a ZIP that is not a Word document (a spreadsheet, say) is refused", () => {
    expect(sniffFileType(bytes(ZIP, [20, 0], "xl/workbook.xml"))).toBeNull();
  });

  it("a Windows program renamed .pdf is refused", () => {
    expect(sniffFileType(bytes("MZ", [0x90, 0, 3, 0], "This program cannot be run in DOS mode"))).toBeNull();
  });

  it("an HTML page is refused even if it mentions %PDF- later on", () => {
    expect(sniffFileType(bytes("<html><body>%PDF-1.4</body></html>"))).toBeNull();
  });

  it("a signature cut short is refused", () => {
    expect(sniffFileType(bytes([0x89, 0x50, 0x4e]))).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });
});

describe("download names", () => {
  it("keeps a plain name and uses the extension of the type found, not the one given", () => {
    expect(safeDownloadName("Roof quote.exe", FILE_TYPES.pdf)).toBe("Roof quote.pdf");
  });

  it("drops paths, quotes, control characters and header-breaking characters", () => {
    expect(safeDownloadName('..\\..\\evil"\r\nSet-Cookie: x.png', FILE_TYPES.png)).toBe("evilSet-Cookie x.png");
  });

  it("falls back to a neutral name when nothing safe is left", () => {
    expect(safeDownloadName("???.pdf", FILE_TYPES.pdf)).toBe("attachment.pdf");
    expect(safeDownloadName(".hidden", FILE_TYPES.pdf)).toBe("attachment.pdf");
  });
});
