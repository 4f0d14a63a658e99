const formatter = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });
const exact = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

/** Integer pence to "£1,234" (or "£1,234.56" when there are pence). */
export function formatPence(pence: number): string {
  return pence % 100 === 0 ? formatter.format(pence / 100) : exact.format(pence / 100);
}
