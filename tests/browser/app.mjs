// Drives the `nianbao serve` web app in the system's headless Chromium (never a downloaded
// browser): load the seed sample, break a 勾稽 rule in a table cell, fix it, edit a paragraph
// and watch the preview change, download the JSON and the PDF.
//
// Env: NIANBAO_URL (the server), NIANBAO_SAMPLE (the seed JSON), NIANBAO_OUT (where downloads
// go), NIANBAO_SCREENSHOTS (optional folder for docs/ screenshots). Prints one JSON line last.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const url = process.env.NIANBAO_URL;
const sample = process.env.NIANBAO_SAMPLE;
const out = process.env.NIANBAO_OUT;
const shots = process.env.NIANBAO_SCREENSHOTS;
const profile = fs.mkdtempSync(path.join(out, "profile-"));

// A fresh profile folder per run (playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1500, height: 1000 },
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const result = {};
try {
  const page = await context.newPage();
  // Nothing but the server: any other request fails the run.
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(url) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) foreign.push(r.url()); });
  page.on("pageerror", (e) => { console.log("page error:", e.message); result.page_error = e.message; });

  await page.goto(url);
  // Start: open the seed sample as a JSON file.
  await page.locator("#start").waitFor({ state: "visible" });
  await page.setInputFiles("#start-json", sample);
  const cell = (p) => page.locator(`input[data-path="${p}"]`);
  await cell("applications.new[0]").waitFor();
  await page.waitForFunction(() => document.querySelector("#summary").textContent.includes("错误") || document.querySelector("#summary").textContent.includes("检查通过"));
  await page.waitForSelector("#preview img");

  // Break table 三's balance: 本年新收 自然人 5 → 6.
  const marked = "applications.results.total[0]";
  await cell("applications.new[0]").fill("6");
  await page.waitForFunction((p) => document.querySelector(`input[data-path="${p}"]`).closest("td").classList.contains("bad") || document.querySelector(`input[data-path="${p}"]`).classList.contains("bad"), marked, { timeout: 15000 });
  result.marked = true;
  result.message = await page.locator(`[data-table="table3"] .msgs .msg.bad[data-rule="table3-balance"]`).first().textContent();
  result.summary = await page.locator("#summary").textContent();
  if (shots) {
    await cell("applications.new[0]").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "serve-form.png") });
  }

  // Fix it: the mark goes.
  await cell("applications.new[0]").fill("5");
  await page.waitForFunction((p) => !document.querySelector(`input[data-path="${p}"]`).classList.contains("bad"), marked, { timeout: 15000 });
  await page.waitForFunction(() => !document.querySelector('[data-rule="table3-balance"]'), null, { timeout: 15000 });
  result.unmarked = true;

  // Edit a paragraph of section 六: some preview page changes.
  const before = await page.$$eval("#preview img", (imgs) => imgs.map((i) => i.dataset.hash));
  const version = await page.locator("#preview").getAttribute("data-version");
  const para = page.locator('textarea[data-path="other_matters.subsections[1].paragraphs[0]"]');
  await para.fill("2021年，本单位未收取信息处理费用。");
  await page.waitForFunction((v) => document.querySelector("#preview").dataset.version !== v, version, { timeout: 30000 });
  const after = await page.$$eval("#preview img", (imgs) => imgs.map((i) => i.dataset.hash));
  result.pages = after.length;
  result.changed_pages = after.filter((h, i) => h !== before[i]).length;
  result.preview_changed = result.changed_pages > 0;
  if (shots) {
    await page.locator("#preview img").last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "serve-preview.png") });
  }

  // Downloads: the JSON and the PDF, through the buttons.
  for (const [format, name] of [["json", "report.json"], ["pdf", "report.pdf"]]) {
    const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 60000 }), page.click(`#downloads button[data-format="${format}"]`)]);
    await dl.saveAs(path.join(out, name));
  }

  result.foreign_requests = foreign;
  if (foreign.length) throw new Error("requests to other hosts: " + foreign.join(", "));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
