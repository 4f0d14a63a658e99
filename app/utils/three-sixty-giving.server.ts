import { DomainError } from "~/domain/errors";
import { threeSixtyGivingPackage, type ThreeSixtyGivingPackage } from "~/domain/three-sixty-giving";
import { getThreeSixtyGivingAwards } from "~/models/three-sixty-giving.server";
import { getDb } from "./db.server";
import { notFound } from "./http.server";

/**
 * A published fund's 360Giving package, or a thrown 404 when it has no
 * accepted or closed awards (a package needs at least one grant), is not
 * published, or its funder details would not make valid open data.
 */
export async function publishedPackage(fundId: string): Promise<ThreeSixtyGivingPackage> {
  const data = await getThreeSixtyGivingAwards(getDb(), fundId);
  if (!data || data.awards.length === 0) throw notFound("This fund has no published grants yet.");
  try {
    return threeSixtyGivingPackage(data.awards, data.funder);
  } catch (error) {
    if (error instanceof DomainError) throw notFound("This fund's open data is not ready to publish yet.");
    throw error;
  }
}

export const OPEN_DATA_HEADERS = {
  "Cache-Control": "public, max-age=300",
  "X-Content-Type-Options": "nosniff",
  "Access-Control-Allow-Origin": "*",
};
