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
 * GB-CHC, and Northern Ireland's ("NIC…") to GB-NIC. A group with neither
 * gets an identifier under the funder's prefix.
 */
export function recipientOrgId(recipient: RecipientOrganisation, funderPrefix: string): string {
  const charity = compact(recipient.charityNumber);
  if (charity.startsWith("SC")) return `GB-SC-${charity}`;
  // Northern Ireland's register prints "NIC100002"; its org-id is GB-NIC-100002.
  if (charity.startsWith("NIC")) return `GB-NIC-${charity.slice(3)}`;
  if (charity) return `GB-CHC-${charity}`;
  const company = companyNumber(recipient.companyNumber);
  if (company) return `GB-COH-${company}`;
  return `${funderPrefix}-ORG-${recipient.id}`;
}

/**
 * The group profile keeps one registration number and says what kind of body
 * the group is (org_type). That pair is the one source of the numbers the
 * open data publishes: a registered charity's number is a charity number, a
 * CIC's or company limited by guarantee's is a Companies House number. Any
 * other kind (unincorporated, other, or unknown after an import) publishes no
 * number, so its identifier falls back to the funder's prefix.
 */
export function registeredNumbers(
  orgType: string | null | undefined,
  registrationNumber: string | null | undefined,
): { charityNumber: string | null; companyNumber: string | null } {
  const number = compact(registrationNumber);
  if (!number) return { charityNumber: null, companyNumber: null };
  if (orgType === "charity") return { charityNumber: number, companyNumber: null };
  if (orgType === "cic" || orgType === "clg") return { charityNumber: null, companyNumber: number };
  return { charityNumber: null, companyNumber: null };
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

/**
 * The kind of area an ONS code names, from 360Giving's geoCodeType codelist,
 * read off the code's first three characters (E05… is an English ward).
 * Null for a code this portal does not recognise: the code is still published.
 */
export function geoCodeTypeOf(geoCode: string | null | undefined): string | null {
  const prefix = compact(geoCode).slice(0, 3);
  if (["E05", "W05", "S13", "N08"].includes(prefix)) return "WD";
  if (["E06", "E07", "E08", "E09", "W06", "S12", "N09"].includes(prefix)) return "LAD";
  if (["E02", "W02"].includes(prefix)) return "MSOA";
  if (["E01", "W01"].includes(prefix)) return "LSOA";
  return null;
}

/** An ONS (GSS) area code: a letter, two digits, six digits, e.g. E05010897. */
export const isOnsAreaCode = (value: string): boolean => /^[EWSN]\d{8}$/.test(compact(value));

/** One thing 360Giving's data-quality tool would flag, in words an administrator can act on. */
export interface OpenDataProblem {
  /** The grant's identifier, or the award's when the grant could not be built. */
  grant: string;
  message: string;
}

/** The org-id prefixes 360Giving's tool knows for the recipients this portal serves. */
export const KNOWN_RECIPIENT_PREFIXES: readonly string[] = ["GB-CHC-", "GB-COH-", "GB-SC-", "GB-NIC-", "360G-"];

/** Charity Commission for England and Wales: 6 or 7 digits, with an optional "-NN" for a linked charity. */
const CHC_NUMBER = /^\d{6,7}(-\d{1,2})?$/;
const OSCR_NUMBER = /^SC\d{6}$/;
const NIC_NUMBER = /^\d{5,6}$/;
/** Companies House: 8 characters, 8 digits or 2 letters and 6 digits (SC123456, NI123456). */
const COH_NUMBER = /^(\d{8}|[A-Z]{2}\d{6})$/;

function charityNumberProblem(number: string): string | null {
  if (number.startsWith("SC")) return OSCR_NUMBER.test(number) ? null : `the Scottish charity number "${number}" should be SC and 6 digits`;
  if (number.startsWith("NIC"))
    return NIC_NUMBER.test(number.slice(3)) ? null : `the Northern Ireland charity number "${number}" should be NIC and 5 or 6 digits`;
  return CHC_NUMBER.test(number) ? null : `the charity number "${number}" should be 6 or 7 digits, like 1234567`;
}

function orgIdProblem(id: string): string | null {
  const prefix = KNOWN_RECIPIENT_PREFIXES.find((p) => id.startsWith(p));
  if (!prefix)
    return `the organisation identifier "${id}" does not start with a known prefix (${KNOWN_RECIPIENT_PREFIXES.map((p) => p.replace(/-$/, "")).join(", ")})`;
  const rest = id.slice(prefix.length);
  if (prefix === "GB-CHC-" && !CHC_NUMBER.test(rest)) return `the identifier "${id}" does not hold a well-formed charity number (6 or 7 digits)`;
  if (prefix === "GB-SC-" && !OSCR_NUMBER.test(rest)) return `the identifier "${id}" does not hold a well-formed Scottish charity number (SC and 6 digits)`;
  if (prefix === "GB-NIC-" && !NIC_NUMBER.test(rest)) return `the identifier "${id}" does not hold a well-formed Northern Ireland charity number`;
  if (prefix === "GB-COH-" && !COH_NUMBER.test(rest))
    return `the identifier "${id}" does not hold a well-formed company number (8 digits, or 2 letters and 6 digits)`;
  return null;
}

/**
 * The published file checked as 360Giving's data-quality tool checks it:
 * no £0 (or negative) grants, recipient identifiers with a known prefix, and
 * charity and company numbers in their registers' shapes. Empty when clean.
 */
export function checkThreeSixtyGivingQuality(pkg: ThreeSixtyGivingPackage): OpenDataProblem[] {
  const problems: OpenDataProblem[] = [];
  for (const grant of pkg.grants) {
    const say = (message: string) => problems.push({ grant: grant.id, message });
    if (!(grant.amountAwarded > 0)) say(`${grant.title}: the amount awarded is £0; 360Giving does not accept £0 grants`);
    for (const recipient of grant.recipientOrganization) {
      const who = recipient.name;
      const idProblem = orgIdProblem(recipient.id);
      if (idProblem) say(`${who}: ${idProblem}`);
      if (recipient.charityNumber) {
        const problem = charityNumberProblem(recipient.charityNumber);
        if (problem) say(`${who}: ${problem}`);
      }
      if (recipient.companyNumber && !COH_NUMBER.test(recipient.companyNumber)) {
        say(`${who}: the company number "${recipient.companyNumber}" should be 8 characters: 8 digits, or 2 letters and 6 digits`);
      }
    }
  }
  return problems;
}

/**
 * Everything that would stop a fund's awards becoming clean open data: each
 * award that cannot be a grant at all (its DomainError), then the quality
 * checks on the grants that can. Pure; the publish page lists these.
 */
export function openDataProblems(awards: readonly ThreeSixtyGivingAward[], funder: FundingOrganisation): OpenDataProblem[] {
  // No accepted award, no file: nothing goes public, so nothing can fail the checks.
  if (awards.length === 0) return [];
  const problems: OpenDataProblem[] = [];
  try {
    checkFunder(funder);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems.push({ grant: funder.prefix, message: error.message });
  }
  const grants: ThreeSixtyGivingGrant[] = [];
  for (const award of awards) {
    try {
      grants.push(toGrant(award, funder));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push({ grant: String(award.awardId), message: error.message });
    }
  }
  return [...problems, ...checkThreeSixtyGivingQuality({ grants })];
}
