/**
 * Awards as 360Giving open data: the UK's standard for publishing grants
 * (https://standard.threesixtygiving.org/, schema 1.4.3). Pure: no I/O.
 *
 * A fund's awards become one package, `{ grants: [...] }`, served as
 * /funds/:fundId/360giving.json, and the same grants flattened under the
 * standard's column titles for /funds/:fundId/360giving.csv. The CSV is built
 * from the package itself, so the two files can never disagree.
 *
 * The schema's copy (tests/fixtures/360giving/) is what the test validates
 * against. Two of its rules matter to callers:
 * - a package needs at least one grant (`minItems: 1`), so a fund with no
 *   awards yet has nothing valid to publish: the route should say so (404 or
 *   an empty notice) rather than serve `{ grants: [] }`;
 * - identifiers must stay the same every time the file is published, because
 *   360Giving's GrantNav links grants and organisations across funders by them.
 */
import { toCsv } from "./csv";
import { DomainError } from "./errors";

/** Who publishes the grants. Set once per deployment (a council, a community foundation). */
export interface FundingOrganisation {
  /**
   * The publisher's 360Giving prefix, issued by 360Giving, e.g. "360G-examplecouncil".
   * Every grant identifier starts with it, so grants from different funders never clash.
   */
  prefix: string;
  /** The funder's own org-id, e.g. "GB-LAE-BST" for Bristol City Council. */
  id: string;
  name: string;
}

/** The community group that received the grant. */
export interface RecipientOrganisation {
  /** The portal's own id for the organisation: used when it has no registered number. */
  id: string | number;
  name: string;
  /** Registered charity number (England and Wales, or "SC…" in Scotland). */
  charityNumber?: string | null;
  /** Companies House number, e.g. "01234567" or "SC123456". */
  companyNumber?: string | null;
  postcode?: string | null;
}

/** Where the people who benefit are, when the award knows it. */
export interface BeneficiaryLocation {
  /** A name a reader recognises, e.g. "Lawrence Hill" or "Bristol". */
  name: string;
  /** The portal only serves UK funds. */
  countryCode: "GB";
  /** An ONS code for the area, e.g. "E05010897" for a ward. */
  geoCode?: string | null;
  /** The kind of area the geoCode names, from 360Giving's geoCodeType codelist, e.g. "WD" for a ward. */
  geoCodeType?: string | null;
}

/** One award, as plain values the awards tables can supply. */
export interface ThreeSixtyGivingAward {
  /** The award's id in the portal: stable, never a row position. */
  awardId: string | number;
  amountPence: number;
  /** The date of the decision to award, YYYY-MM-DD. */
  awardDate: string;
  title: string;
  description: string;
  recipient: RecipientOrganisation;
  /** The grant programme is the fund (or a decision group within it). */
  programme: { title: string; code?: string | null };
  beneficiaryLocation?: BeneficiaryLocation | null;
}

/** The parts of a 360Giving grant this portal publishes; field names are the standard's. */
export interface ThreeSixtyGivingGrant {
  id: string;
  title: string;
  description: string;
  currency: "GBP";
  amountAwarded: number;
  awardDate: string;
  recipientOrganization: Array<{
    id: string;
    name: string;
    charityNumber?: string;
    companyNumber?: string;
    postalCode?: string;
  }>;
  fundingOrganization: Array<{ id: string; name: string }>;
  grantProgramme: Array<{ title: string; code?: string }>;
  beneficiaryLocation?: Array<{
    name: string;
    countryCode: "GB";
    geoCode?: string;
    geoCodeType?: string;
  }>;
}

export interface ThreeSixtyGivingPackage {
  grants: ThreeSixtyGivingGrant[];
}

const PREFIX = /^360G-[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Spaces and case stripped out of a registered number, as registers print them differently. */
const compact = (value: string | null | undefined): string => (value ?? "").replace(/\s+/g, "").toUpperCase();

/**
 * Companies House numbers are 8 characters; a purely numeric one typed
 * without its leading zeros ("1234567") is padded, so the same company gets
 * the same identifier whoever typed it.
 */
function companyNumber(value: string | null | undefined): string {
  const number = compact(value);
  return /^\d{1,7}$/.test(number) ? number.padStart(8, "0") : number;
}

/**
 * The recipient's org-id (https://org-id.guide). A registered number is
 * preferred, because other funders publishing grants to the same group will
 * use it too, and GrantNav then shows them together. Charity number first,
 * as 360Giving advises for charitable companies. Scottish charity numbers
 * ("SC…") belong to the OSCR register, GB-SC, not the Charity Commission's
 * GB-CHC. A group with neither gets an identifier under the funder's prefix.
 */
export function recipientOrgId(recipient: RecipientOrganisation, funderPrefix: string): string {
  const charity = compact(recipient.charityNumber);
  if (charity) return charity.startsWith("SC") ? `GB-SC-${charity}` : `GB-CHC-${charity}`;
  const company = companyNumber(recipient.companyNumber);
  if (company) return `GB-COH-${company}`;
  return `${funderPrefix}-ORG-${recipient.id}`;
}

/** The grant's identifier: the funder's prefix and the award's own id. */
export const grantId = (funderPrefix: string, awardId: string | number): string => `${funderPrefix}-${awardId}`;

/**
 * Integer pence to pounds as a JSON number. Dividing an integer by 100 gives
 * the double nearest the exact decimal, which prints as that decimal
 * (5000050 → 50000.5, 1 → 0.01), so no rounding step is needed.
 */
export const penceToAmount = (pence: number): number => pence / 100;

function isRealDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Leaves a key out rather than publishing an empty string or null. */
const optional = <K extends string>(key: K, value: string | null | undefined): Partial<Record<K, string>> => {
  const text = value?.trim();
  return text ? ({ [key]: text } as Record<K, string>) : {};
};

function checkFunder(funder: FundingOrganisation): void {
  if (!PREFIX.test(funder.prefix)) {
    throw new DomainError(`The 360Giving prefix "${funder.prefix}" should look like "360G-examplecouncil": "360G-" then letters, numbers or hyphens`, "prefix");
  }
  if (!funder.id.trim()) throw new DomainError("The funding organisation needs an org-id, such as GB-LAE-BST", "id");
  if (!funder.name.trim()) throw new DomainError("The funding organisation needs a name", "name");
}

/** One award as a 360Giving grant. Throws DomainError for values the standard would reject. */
export function toGrant(award: ThreeSixtyGivingAward, funder: FundingOrganisation): ThreeSixtyGivingGrant {
  const label = `Award ${award.awardId}`;
  if (String(award.awardId).trim() === "") throw new DomainError("Every award needs an id");
  if (!Number.isSafeInteger(award.amountPence) || award.amountPence <= 0) {
    throw new DomainError(`${label}: the amount must be a whole number of pence, more than 0`, "amountPence");
  }
  if (!isRealDate(award.awardDate)) throw new DomainError(`${label}: the award date must be a real date written YYYY-MM-DD`, "awardDate");
  if (!award.title.trim()) throw new DomainError(`${label} needs a title`, "title");
  if (!award.description.trim()) throw new DomainError(`${label} needs a description`, "description");
  if (!award.recipient.name.trim()) throw new DomainError(`${label}: the recipient organisation needs a name`, "recipient");
  if (!award.programme.title.trim()) throw new DomainError(`${label}: the grant programme needs a title`, "programme");

  const location = award.beneficiaryLocation;
  const charity = compact(award.recipient.charityNumber);
  const company = companyNumber(award.recipient.companyNumber);
  return {
    id: grantId(funder.prefix, award.awardId),
    title: award.title.trim(),
    description: award.description.trim(),
    currency: "GBP",
    amountAwarded: penceToAmount(award.amountPence),
    awardDate: award.awardDate,
    recipientOrganization: [
      {
        id: recipientOrgId(award.recipient, funder.prefix),
        name: award.recipient.name.trim(),
        ...optional("charityNumber", charity),
        ...optional("companyNumber", company),
        ...optional("postalCode", award.recipient.postcode),
      },
    ],
    fundingOrganization: [{ id: funder.id.trim(), name: funder.name.trim() }],
    grantProgramme: [{ title: award.programme.title.trim(), ...optional("code", award.programme.code) }],
    ...(location?.name.trim()
      ? {
          beneficiaryLocation: [
            {
              name: location.name.trim(),
              countryCode: location.countryCode,
              ...optional("geoCode", location.geoCode),
              ...optional("geoCodeType", location.geoCodeType),
            },
          ],
        }
      : {}),
  };
}

/**
 * A fund's awards as a 360Giving package. Grant identifiers must be unique
 * within a publisher, so two awards with the same id are refused rather than
 * published as one grant twice.
 */
export function threeSixtyGivingPackage(awards: readonly ThreeSixtyGivingAward[], funder: FundingOrganisation): ThreeSixtyGivingPackage {
  checkFunder(funder);
  const seen = new Set<string>();
  const grants = awards.map((award) => {
    const grant = toGrant(award, funder);
    if (seen.has(grant.id)) throw new DomainError(`The grant ${grant.id} is listed twice`);
    seen.add(grant.id);
    return grant;
  });
  return { grants };
}

type Cell = string | number | undefined;

/**
 * The CSV columns, titled as the standard titles them: a field's `title` in
 * the schema, and for a field inside a list, the list's title, a colon, then
 * the field's title ("Recipient Org:Identifier"). 360Giving's tools read CSV
 * by these titles. Each grant has one recipient, funder, programme and at most
 * one location, so each list flattens to its first entry.
 */
const COLUMNS: ReadonlyArray<readonly [string, (grant: ThreeSixtyGivingGrant) => Cell]> = [
  ["Identifier", (g) => g.id],
  ["Title", (g) => g.title],
  ["Description", (g) => g.description],
  ["Currency", (g) => g.currency],
  ["Amount Awarded", (g) => g.amountAwarded],
  ["Award Date", (g) => g.awardDate],
  ["Recipient Org:Identifier", (g) => g.recipientOrganization[0]?.id],
  ["Recipient Org:Name", (g) => g.recipientOrganization[0]?.name],
  ["Recipient Org:Charity Number", (g) => g.recipientOrganization[0]?.charityNumber],
  ["Recipient Org:Company Number", (g) => g.recipientOrganization[0]?.companyNumber],
  ["Recipient Org:Postal Code", (g) => g.recipientOrganization[0]?.postalCode],
  ["Funding Org:Identifier", (g) => g.fundingOrganization[0]?.id],
  ["Funding Org:Name", (g) => g.fundingOrganization[0]?.name],
  ["Grant Programme:Title", (g) => g.grantProgramme[0]?.title],
  ["Grant Programme:Code", (g) => g.grantProgramme[0]?.code],
  ["Beneficiary Location:Name", (g) => g.beneficiaryLocation?.[0]?.name],
  ["Beneficiary Location:Country Code", (g) => g.beneficiaryLocation?.[0]?.countryCode],
  ["Beneficiary Location:Geographic Code", (g) => g.beneficiaryLocation?.[0]?.geoCode],
  ["Beneficiary Location:Geographic Code Type", (g) => g.beneficiaryLocation?.[0]?.geoCodeType],
];

export const THREE_SIXTY_GIVING_CSV_HEADER: readonly string[] = COLUMNS.map(([title]) => title);

/** The package's grants as rows: the header, then one row per grant. */
export function threeSixtyGivingRows(pkg: ThreeSixtyGivingPackage): Cell[][] {
  return [[...THREE_SIXTY_GIVING_CSV_HEADER], ...pkg.grants.map((grant) => COLUMNS.map(([, value]) => value(grant)))];
}

/**
 * The package as CSV text, through the shared writer: text cells starting
 * with = + - @ are neutralised against spreadsheet formulas, and a BOM leads
 * so Excel reads £ and accents right.
 */
export function threeSixtyGivingCsv(pkg: ThreeSixtyGivingPackage): string {
  return toCsv(threeSixtyGivingRows(pkg), { bom: true });
}
