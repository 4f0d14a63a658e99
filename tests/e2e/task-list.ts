import type { Page } from "playwright-core";

/** What an applicant types into the task list's sections (tests/e2e helpers, issue 10 item 6). */
export interface Outline {
  title: string;
  summary: string;
  lines: [string, string][];
  amount: string;
  least?: string;
  start: [string, string, string];
  end: [string, string, string];
  outcome: [string, string];
}

/** Presses a button and waits for the page it leads to (a full page load without JavaScript). */
export async function press(page: Page, name: string) {
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name, exact: true }).click()]);
}

/** Follows a task-list link by its words and waits for its page (with JavaScript, Remix moves there without a page load). */
export async function openTask(page: Page, name: string) {
  const link = page.getByRole("link", { name, exact: true });
  const path = (await link.getAttribute("href"))!;
  await link.click();
  await page.waitForURL((u) => u.pathname === path, { waitUntil: "load" });
}

/** Saves a section and waits to be back on the task list. */
export async function saveSection(page: Page) {
  await page.getByRole("button", { name: SAVE, exact: true }).click();
  await page.waitForURL((u) => u.pathname.endsWith("/edit"), { waitUntil: "load" });
}

export const SAVE = "Save and go back to the list";

/**
 * Fills every section from the task list and comes back to it. `visit` runs on
 * each page as it is shown (axe, say), after it loads and before anything is typed.
 */
export async function fillOutline(page: Page, o: Outline, visit: (label: string) => Promise<void> = async () => {}) {
  await openTask(page, "About the project");
  await visit("about the project");
  await page.getByLabel("Title of your proposal", { exact: true }).fill(o.title);
  await page.getByLabel("Summary", { exact: true }).fill(o.summary);
  await page.getByLabel(/^Felt need/).check();
  await page.getByLabel("How do you know people need it?", { exact: true }).fill("Eighty people signed up at our summer fair.");
  await page.getByLabel("What will be built or bought?").fill("A timber workshop with benches and tools.");
  await saveSection(page);

  await openTask(page, "Who benefits");
  await visit("who benefits");
  await page.getByLabel("Who will it help?", { exact: true }).fill("Neighbours in Barton Hill");
  await page.getByLabel("How many people will it help?").fill("80");
  await saveSection(page);

  await openTask(page, "Budget");
  await visit("budget");
  for (const [i, [item, cost]] of o.lines.entries()) {
    const line = page.getByRole("group", { name: `Budget line ${i + 1}` });
    await line.getByLabel("What it is for").fill(item);
    await line.getByLabel("Cost in £").fill(cost);
    // "Add another" saves what is there and comes back with one more empty line.
    if (i < o.lines.length - 1) {
      await press(page, "Add another budget line");
      await page.getByRole("group", { name: `Budget line ${i + 2}` }).waitFor();
      await visit(`budget with ${i + 2} lines`);
    }
  }
  await page.getByLabel("How much do you ask for, in £?").fill(o.amount);
  if (o.least) await page.getByLabel("What is the least you could accept, in £?").fill(o.least);
  await saveSection(page);

  await openTask(page, "Dates");
  await visit("dates");
  for (const [legend, [day, month, year]] of [
    ["When will the project start?", o.start],
    ["When will the project end?", o.end],
  ] as const) {
    const group = page.getByRole("group", { name: legend });
    await group.getByLabel("Day").fill(day);
    await group.getByLabel("Month").fill(month);
    await group.getByLabel("Year").fill(year);
  }
  await saveSection(page);

  await openTask(page, "Outcomes");
  await visit("outcomes");
  const outcome1 = page.getByRole("group", { name: "Outcome 1" });
  await outcome1.getByLabel("What will be different").fill(o.outcome[0]);
  await outcome1.getByLabel("How you will measure it").fill(o.outcome[1]);
  await saveSection(page);
}
