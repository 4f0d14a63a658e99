import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { summariseSurvey, surveyReportCsvRows } from "~/domain/evaluation";
import { toCsv } from "~/domain/csv";
import { listSurveyAnswers } from "~/models/evaluation.server";
import { getFund } from "~/models/fund.server";
import { csvResponse } from "~/utils/csv-response.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";

/** /admin/funds/:fundId/evaluation.csv: the survey's figures as the page shows them (groups under 5 hidden, no free text). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "fund.manage");
  const db = getDb();
  const fund = await getFund(db, params.fundId ?? "");
  if (!fund) throw notFound();
  const report = summariseSurvey(await listSurveyAnswers(db, fund.id));
  return csvResponse(toCsv(surveyReportCsvRows(report)), `evaluation-${fund.id}.csv`);
}
