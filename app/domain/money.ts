/** "£1,234.50", "1234.5" or "1234" to integer pence; null when it is not an amount of money. */
export function parsePoundsToPence(input: string): number | null {
  const cleaned = input.trim().replace(/^£/, "").replace(/,/g, "").trim();
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [pounds, pence = ""] = cleaned.split(".");
  const value = Number(pounds) * 100 + Number(pence.padEnd(2, "0"));
  return Number.isSafeInteger(value) ? value : null;
}

/** Integer pence to "1234.50" (or "1234" when whole), for putting back in a form field. */
export function penceToPoundsInput(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return "";
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}
const formatter = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });
const exact = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

/** Integer pence to "£1,234" (or "£1,234.56" when there are pence). */
export function formatPence(pence: number): string {
  return pence % 100 === 0 ? formatter.format(pence / 100) : exact.format(pence / 100);
}
