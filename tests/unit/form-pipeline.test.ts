import { redirect } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError } from "~/domain/errors";
import { isoDateField, isRealIsoDate, nextIsoDate, optionalIsoDateField, REAL_DATE_MESSAGE, repeatedField, rowsField } from "~/domain/forms/fields";
import { parseForm, repeatedValues } from "~/utils/forms";
import { submitForm } from "~/utils/forms.server";

const NameSchema = z.object({ name: z.string({ required_error: "Enter a name" }).trim().min(1, "Enter a name") });

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
};

describe("submitForm, the one way a route handles a form", () => {
  it("runs the callback with the parsed data when the form passes its schema", async () => {
    const response = await submitForm(form([["name", "  Ada  "]]), NameSchema, async (data) => redirect(`/done?name=${data.name}`));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/done?name=Ada");
  });

  it("answers 400 with a plain-English message per field and the input kept, without running the callback", async () => {
    let ran = false;
    const response = await submitForm(
      form([
        ["name", " "],
        ["note", "kept"],
        ["csrf", "secret"],
        ["password", "hunter2"],
      ]),
      NameSchema,
      async () => {
        ran = true;
        return redirect("/");
      },
    );
    expect(ran).toBe(false);
    expect(response.status).toBe(400);
    // Secrets (the CSRF token, passwords) are never echoed back.
    expect(await response.json()).toEqual({ errors: { name: "Enter a name" }, values: { name: " ", note: "kept" } });
  });

  it("turns a DomainError into a 400 with the message on its field, keeping the input", async () => {
    const response = await submitForm(form([["name", "Ada"]]), NameSchema, async () => {
      throw new DomainError("That name is taken", "name");
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { name: "That name is taken" }, values: { name: "Ada" } });
  });

  it("puts a DomainError with no field at the top of the page, or on the field the route names", async () => {
    const top = await submitForm(form([["name", "Ada"]]), NameSchema, async () => {
      throw new DomainError("Scoring has closed");
    });
    expect((await top.json()).errors).toEqual({ form: "Scoring has closed" });
    const onNote = await submitForm(
      form([["name", "Ada"]]),
      NameSchema,
      async () => {
        throw new DomainError("Say why");
      },
      { errorField: "note" },
    );
    expect((await onNote.json()).errors).toEqual({ note: "Say why" });
  });

  it("adds what the page needs to tell its forms apart, and moves messages for fields the page does not show to the top", async () => {
    const response = await submitForm(
      form([["intent", "remove"]]),
      z.object({ id: z.string({ required_error: "Choose what to remove" }) }),
      async () => redirect("/"),
      {
        extra: { intent: "remove" },
        fields: [],
      },
    );
    expect(await response.json()).toEqual({ intent: "remove", errors: { form: "Choose what to remove" }, values: { intent: "remove" } });
  });

  it("rethrows anything that is not a DomainError: a thrown Response (403, 404) or a bug", async () => {
    const forbidden = new Response("Forbidden", { status: 403 });
    await expect(
      submitForm(form([["name", "Ada"]]), NameSchema, async () => {
        throw forbidden;
      }),
    ).rejects.toBe(forbidden);
    await expect(
      submitForm(form([["name", "Ada"]]), NameSchema, async () => {
        throw new TypeError("a bug");
      }),
    ).rejects.toThrow("a bug");
  });
});

describe("reading repeated fields", () => {
  const RowsSchema = z.object({
    lines: rowsField(z.object({ item: z.string().optional(), cost: z.string().optional() }).optional(), 5, "Enter 5 lines or fewer").superRefine(
      (rows, ctx) => {
        rows.forEach((row, i) => {
          if (row && row.item && !/^\d+$/.test(row.cost ?? "")) ctx.addIssue({ code: "custom", path: [i, "cost"], message: `Enter the cost of line ${i + 1}` });
        });
      },
    ),
    ids: repeatedField(z.array(z.string()).min(1, "Choose at least one")),
  });

  it("reads name[i].field rows as an array in page order, and a name sent several times as a list", () => {
    const parsed = parseForm(
      RowsSchema,
      form([
        ["lines[0].item", "Paint"],
        ["lines[0].cost", "20"],
        ["lines[1].item", "Brushes"],
        ["lines[1].cost", "5"],
        ["ids", "a"],
        ["ids", "b"],
      ]),
    );
    expect(parsed).toMatchObject({
      ok: true,
      data: {
        lines: [
          { item: "Paint", cost: "20" },
          { item: "Brushes", cost: "5" },
        ],
        ids: ["a", "b"],
      },
    });
  });

  it("one box ticked is a list of one; none ticked is an empty list, with the list's own message", () => {
    expect(parseForm(RowsSchema, form([["ids", "a"]]))).toMatchObject({ ok: true, data: { lines: [], ids: ["a"] } });
    expect(parseForm(RowsSchema, form([]))).toMatchObject({ ok: false, errors: { ids: "Choose at least one" } });
  });

  it("keys a row's message by the row's own field name, and keeps every row's input", () => {
    const parsed = parseForm(
      RowsSchema,
      form([
        ["lines[0].item", "Paint"],
        ["lines[0].cost", "20"],
        ["lines[1].item", "Brushes"],
        ["lines[1].cost", "lots"],
        ["ids", "a"],
        ["ids", "b"],
      ]),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({ "lines[1].cost": "Enter the cost of line 2" });
    expect(parsed.values).toMatchObject({ "lines[0].item": "Paint", "lines[1].cost": "lots" });
    expect(repeatedValues(parsed.values, "ids")).toEqual(["a", "b"]);
  });

  it("a gap in the row numbers reads as an empty row, and a crafted name cannot make a huge or unsafe object", () => {
    const parsed = parseForm(
      RowsSchema,
      form([
        ["lines[2].item", "Late"],
        ["lines[2].cost", "1"],
        ["lines[99999].item", "x"],
        ["__proto__[0].item", "x"],
        ["ids", "a"],
      ]),
    );
    expect(parsed).toMatchObject({ ok: true, data: { lines: [undefined, undefined, { item: "Late", cost: "1" }] } });
    expect(({} as Record<string, unknown>).item).toBeUndefined();
  });
});

describe("dates from a form or a query string", () => {
  const Schema = z.object({ on: isoDateField() });
  const messageFor = (on: string) => {
    const result = Schema.safeParse({ on });
    return result.success ? null : result.error.issues[0]!.message;
  };

  it.each(["2026-13-01", "2026-02-30", "2025-02-29", "2026-04-31", "2026-00-10", "2026-1-01", "01/04/2027", "2026-02-28T00:00"])(
    "%s is refused with a message that shows the format",
    (value) => {
      expect(messageFor(value)).toBe(REAL_DATE_MESSAGE);
      expect(REAL_DATE_MESSAGE).toBe("Enter a real date, for example 2027-03-31");
    },
  );

  it.each(["2024-02-29", "2026-02-28", "2026-12-31", "2027-03-31"])("%s, a real date, is accepted", (value) => {
    expect(isRealIsoDate(value)).toBe(true);
    expect(Schema.parse({ on: ` ${value} ` })).toEqual({ on: value });
  });

  it("an empty required date is refused; an empty optional date is no date", () => {
    expect(messageFor("")).toBe(REAL_DATE_MESSAGE);
    expect(z.object({ on: isoDateField({ required: "Enter the date paid" }) }).safeParse({}).error?.issues[0]?.message).toBe("Enter the date paid");
    expect(optionalIsoDateField().parse("")).toBeNull();
    expect(optionalIsoDateField().parse(undefined)).toBeNull();
    expect(optionalIsoDateField("Enter a real start date").safeParse("2026-02-30").error?.issues[0]?.message).toBe("Enter a real start date");
  });

  it("the day after crosses month, leap-day and year ends", () => {
    expect(nextIsoDate("2026-01-31")).toBe("2026-02-01");
    expect(nextIsoDate("2024-02-28")).toBe("2024-02-29");
    expect(nextIsoDate("2024-02-29")).toBe("2024-03-01");
    expect(nextIsoDate("2026-12-31")).toBe("2027-01-01");
  });
});
