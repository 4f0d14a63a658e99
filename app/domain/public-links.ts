/** What a fund has made public after its decisions, for the links on /funds and the fund's page. */
export interface FundPublication {
  resultsPublished: boolean;
  /** Accepted or closed awards: the 360Giving files answer 404 without one. */
  openDataAwards: number;
  /** The first decision group with published minutes (closed meetings), for a link straight to them. */
  minutesGroupId: string | null;
  youSaidWeDid: number;
}

export type PublicLinkKey = "results" | "minutes" | "json" | "csv" | "youSaidWeDid";

/**
 * The public pages and files a fund has, in reading order. Results, minutes
 * and open data only once the results are published (the pages and files do
 * not exist for the public before then); "You said, we did" once it has an
 * entry or the results are out.
 */
export function publicFundLinks(fundId: string, p: FundPublication): { key: PublicLinkKey; href: string }[] {
  const base = `/funds/${encodeURIComponent(fundId)}`;
  const links: { key: PublicLinkKey; href: string }[] = [];
  if (p.resultsPublished) {
    links.push({ key: "results", href: `${base}/results` });
    if (p.minutesGroupId) links.push({ key: "minutes", href: `${base}/results/${encodeURIComponent(p.minutesGroupId)}#minutes` });
    if (p.openDataAwards > 0) {
      links.push({ key: "json", href: `${base}/360giving.json` });
      links.push({ key: "csv", href: `${base}/360giving.csv` });
    }
  }
  if (p.resultsPublished || p.youSaidWeDid > 0) links.push({ key: "youSaidWeDid", href: `${base}/you-said-we-did` });
  return links;
}
