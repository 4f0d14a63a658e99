// A synthetic election shaped like Warsaw's participatory budget of 2023, for scripts/bench-ballot.ts: made by a
// seeded generator, so every run counts the same ballots. It is not Warsaw's data.
import type { CountInput } from "~/domain/ballot-counting";
import type { Ballot } from "~/domain/ballot-rules";
import { mulberry32 } from "./seeded-random";

/** Warsaw's 18 districts and their populations in thousands (rounded): the shape of the pots and the turnout. */
const DISTRICTS: [string, number][] = [
  ["Bemowo", 125],
  ["Białołęka", 145],
  ["Bielany", 132],
  ["Mokotów", 217],
  ["Ochota", 83],
  ["Praga-Południe", 180],
  ["Praga-Północ", 62],
  ["Rembertów", 24],
  ["Śródmieście", 105],
  ["Targówek", 125],
  ["Ursus", 62],
  ["Ursynów", 150],
  ["Wawer", 80],
  ["Wesoła", 25],
  ["Wilanów", 45],
  ["Włochy", 48],
  ["Wola", 140],
  ["Żoliborz", 53],
];
const CITY_PROJECTS = 30;
const DISTRICT_PROJECTS = 138 - CITY_PROJECTS;

/**
 * A synthetic city-scale approval election shaped like Warsaw 2023 (not its data): 138 projects, 30 city-wide and
 * 108 shared between the 18 districts by population (at least 3 each); each voter belongs to one district (by
 * population) and approves 1 to 6 projects there and, nine times in ten, 1 to 8 city-wide, picked by each project's
 * popularity (log-normal), so about 8 in all. Costs are log-uniform (£20k–£800k in a district, £100k–£3m city-wide);
 * each pot's budget is 40% (city: 35%) of what its projects cost.
 */
export function warsawShapedElection(ballotCount: number, seed = 2023): CountInput {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const logUniform = (low: number, high: number) => Math.round(Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low))) / 10_000) * 10_000;
  const people = DISTRICTS.reduce((s, [, p]) => s + p, 0);
  // Projects per district: 3 each, the rest by population (largest remainders first).
  const shares = DISTRICTS.map(([, p]) => ((DISTRICT_PROJECTS - 3 * DISTRICTS.length) * p) / people);
  const counts = shares.map((s) => 3 + Math.floor(s));
  const order = shares.map((s, i) => [s - Math.floor(s), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const unplaced = DISTRICT_PROJECTS - counts.reduce((s, c) => s + c, 0);
  for (let k = 0; k < unplaced; k += 1) counts[order[k]![1]] += 1;

  const pots: CountInput["pots"][number][] = [];
  const projects: CountInput["projects"][number][] = [];
  const popularity = new Map<string, number>();
  const potProjects: string[][] = [];
  const addPot = (potId: string, n: number, low: number, high: number, budgetShare: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const id = `${potId}-${String(i + 1).padStart(2, "0")}`;
      ids.push(id);
      projects.push({ id, costPence: logUniform(low, high), potId });
      popularity.set(id, Math.exp(gaussian()));
    }
    const cost = projects.filter((p) => p.potId === potId).reduce((s, p) => s + p.costPence, 0);
    pots.push({ id: potId, budgetPence: Math.round((cost * budgetShare) / 100_000) * 100_000 });
    potProjects.push(ids);
  };
  DISTRICTS.forEach(([name], i) => addPot(`D${String(i + 1).padStart(2, "0")}-${name}`, counts[i]!, 2_000_000, 80_000_000, 0.4));
  addPot("CITY", CITY_PROJECTS, 10_000_000, 300_000_000, 0.35);
  const city = potProjects[DISTRICTS.length]!;

  /** k distinct projects from `ids`, each picked with probability in proportion to its popularity. */
  const pick = (ids: readonly string[], k: number): string[] => {
    const left = [...ids];
    const chosen: string[] = [];
    while (chosen.length < k && left.length) {
      let r = random() * left.reduce((s, id) => s + popularity.get(id)!, 0);
      let i = 0;
      while (i < left.length - 1 && (r -= popularity.get(left[i]!)!) > 0) i += 1;
      chosen.push(left.splice(i, 1)[0]!);
    }
    return chosen;
  };
  const cumulative: number[] = [];
  DISTRICTS.reduce((s, [, p]) => (cumulative.push(s + p), s + p), 0);
  const ballots: Ballot[] = [];
  for (let b = 0; b < ballotCount; b += 1) {
    const r = random() * people;
    const d = cumulative.findIndex((c) => r < c);
    const chosen = pick(potProjects[d]!, 1 + Math.floor(random() * 6));
    if (random() < 0.9) chosen.push(...pick(city, 1 + Math.floor(random() * 8)));
    ballots.push({ kind: "approval", projectIds: chosen });
  }
  return { pots, projects, ballots };
}
