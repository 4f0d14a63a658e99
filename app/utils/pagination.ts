/** A page number from ?page= (or another parameter), never below 1 and never absurd. */
export function pageFrom(url: URL, param = "page"): number {
  const page = Number.parseInt(url.searchParams.get(param) ?? "1", 10);
  return Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1;
}
