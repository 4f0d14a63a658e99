import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/demo-data";
import { launchBrowser, newPage, signIn } from "./browser";
import { serverUrl } from "./server";

const baseUrl = serverUrl();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("an administrator invites a panel member, who follows the emailed link, sets a password and lands on the panel page", async () => {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
  const email = `new.panellist.${Date.now()}@demo.example`;
  const name = "Nadia Newcomer";

  const adminPage = await newPage(browser);
  await signIn(adminPage, baseUrl, admin.email, admin.password);
  await adminPage.goto(`${baseUrl}/admin/invitations`);
  await adminPage.getByLabel("Full name").fill(name);
  await adminPage.getByLabel("Email address").fill(email);
  await adminPage.getByRole("radio", { name: "Panel member" }).check();
  await adminPage.getByLabel("Constituency (panel members only)").selectOption({ label: "Resident" });
  const groupSelect = adminPage.getByLabel("Decision group (panel members and advisers)");
  const groupValue = await groupSelect.locator("option", { hasText: "Inner City and East" }).first().getAttribute("value");
  await groupSelect.selectOption(groupValue!);
  await adminPage.getByRole("button", { name: "Send invitation" }).click();
  await adminPage.getByText(`Invitation sent to ${email}.`).waitFor();

  await adminPage.goto(`${baseUrl}/admin/outbox`);
  const message = adminPage.locator("li", { hasText: email }).first();
  const body = await message.locator("pre").innerText();
  const link = body.match(/https?:\/\/\S+\/invitations\/\S+/)?.[0];
  expect(link, `an invitation link in the email:\n${body}`).toBeTruthy();
  expect(link!.startsWith(`${baseUrl}/invitations/`)).toBe(true);
  await adminPage.context().close();

  const invitee = await newPage(browser);
  const response = await invitee.goto(link!);
  expect(response?.status()).toBe(200);
  expect(await invitee.locator("h1").innerText()).toBe("Accept your invitation");
  expect(await invitee.getByLabel("Full name").inputValue()).toBe(name);
  await invitee.getByLabel("Create a password").fill("marmalade-lantern-orbit-42");
  await Promise.all([
    // A new panel member declares their interests before they see any proposal.
    invitee.waitForURL((u) => u.pathname === "/panel/interests", { waitUntil: "load" }),
    invitee.getByRole("button", { name: "Create my account" }).click(),
  ]);
  await expect.poll(() => invitee.locator("header").first().innerText()).toContain(`Signed in as ${name}`);
  expect(await invitee.getByTestId("acting-as").innerText()).toBe("Panel member (Resident), Inner City and East");
  expect(await invitee.locator("h1").innerText()).toBe("Declare your interests");

  // The link works once.
  const reused = await newPage(browser);
  const again = await reused.goto(link!);
  expect(again?.status()).toBe(410);
  await invitee.context().close();
  await reused.context().close();
});
