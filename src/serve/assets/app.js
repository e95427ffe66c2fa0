// nianbao serve: the clerk's form. Plain JavaScript, no build step, no other host: everything
// comes from this server (/api/layout describes the sections and the official table grids).
//
// The report is one JSON object held here; its text (JSON.stringify, two-space indent) is what
// is checked, previewed, built and downloaded, so the downloaded JSON is exactly what the server
// built. It is saved to localStorage after every edit.
"use strict";

const STORE = "nianbao.draft.v1";
const CHECK_DELAY_MS = 250;
const PREVIEW_DELAY_MS = 400;

const app = {
  layout: null,
  report: null,
  previous: null, // last year's report text, for the cross-year rules
  seal: null, // data URL of the uploaded seal
  pages: [], // [{hash, url}]
  checkSeq: 0,
  previewSeq: 0,
  diagnostics: [],
  online: true,
};
window.nianbao = app; // for tests and the curious

// ---------------------------------------------------------------- small helpers

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** "applications.results.total[3]" → ["applications", "results", "total", 3] */
function parsePath(path) {
  const out = [];
  for (const part of path.split(".")) {
    const m = part.match(/^([^[]*)((?:\[\d+\])*)$/);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function getPath(obj, path) {
  let cur = obj;
  for (const k of parsePath(path)) {
    if (cur === null || typeof cur !== "object" || !(k in cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(obj, path, value) {
  const keys = parsePath(path);
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    if (cur[k] === null || typeof cur[k] !== "object") cur[k] = typeof keys[i + 1] === "number" ? [] : {};
    cur = cur[k];
  }
  cur[keys[keys.length - 1]] = value;
}

function reportText() {
  return JSON.stringify(app.report, null, 2) + "\n";
}

function envelope(extra) {
  const env = { report: reportText() };
  if (app.previous) env.previous = app.previous;
  if (app.seal) env.seal = app.seal;
  return JSON.stringify(Object.assign(env, extra || {}));
}

async function api(path, body, extra) {
  let res;
  try {
    res = await fetch(path, { method: body === undefined ? "GET" : "POST", body, headers: body === undefined ? {} : { "Content-Type": "application/json" }, ...(extra || {}) });
  } catch (e) {
    setOnline(false);
    throw e;
  }
  setOnline(true);
  return res;
}

function setOnline(on) {
  if (app.online === on) return;
  app.online = on;
  document.getElementById("offline").hidden = on;
  const s = document.getElementById("status");
  s.textContent = on ? "已连接" : "服务已断开";
  s.className = "status " + (on ? "ok" : "gone");
}

// ---------------------------------------------------------------- saving and scheduling

let checkTimer = null;
let previewTimer = null;

function changed() {
  try {
    localStorage.setItem(STORE, JSON.stringify({ report: app.report, previous: app.previous, seal: app.seal }));
  } catch (e) {
    /* storage full or disabled: the form still works */
  }
  clearTimeout(checkTimer);
  clearTimeout(previewTimer);
  checkTimer = setTimeout(runCheck, CHECK_DELAY_MS);
  previewTimer = setTimeout(runPreview, PREVIEW_DELAY_MS);
}

async function runCheck() {
  const seq = ++app.checkSeq;
  let doc;
  try {
    const res = await api("/api/check", envelope());
    doc = await res.json();
  } catch (e) {
    return;
  }
  if (seq !== app.checkSeq) return; // a newer check is under way
  const file = (doc.files && doc.files[0]) || { diagnostics: [] };
  showDiagnostics(file.diagnostics || []);
}

async function runPreview() {
  const seq = ++app.previewSeq;
  let doc;
  try {
    const have = app.pages.map((p) => p.hash);
    const res = await api("/api/preview", envelope({ have }));
    doc = await res.json();
    if (!res.ok) return;
  } catch (e) {
    return;
  }
  if (seq !== app.previewSeq) return;
  const old = new Map(app.pages.map((p) => [p.hash, p]));
  const next = [];
  for (const p of doc.pages || []) {
    const kept = old.get(p.hash);
    if (kept) {
      next.push(kept);
      old.delete(p.hash);
    } else if (p.svg) {
      const url = URL.createObjectURL(new Blob([p.svg], { type: "image/svg+xml" }));
      next.push({ hash: p.hash, url, width: p.width_pt, height: p.height_pt });
    }
  }
  for (const gone of old.values()) URL.revokeObjectURL(gone.url);
  app.pages = next;
  const box = document.getElementById("preview");
  const imgs = next.map((p, i) =>
    el("figure", { class: "page" },
      el("img", { src: p.url, alt: `第 ${i + 1} 页`, dataset: { hash: p.hash }, width: Math.round(p.width || 595), height: Math.round(p.height || 842) }),
      el("figcaption", { text: `第 ${i + 1} 页 / 共 ${next.length} 页` })));
  box.replaceChildren(el("p", { class: "note", text: `排版 ${Math.round(doc.compile_ms || 0)} ms，更新 ${doc.sent || 0} 页` }), ...imgs);
  box.dataset.version = String(seq);
}

// ---------------------------------------------------------------- diagnostics at their fields

function findField(path) {
  // The field itself, else its nearest enclosing field (a.b[2].c → a.b[2] → a.b → a).
  let p = path;
  while (p) {
    const f = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (f) return f;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return null;
}

function showDiagnostics(list) {
  app.diagnostics = list;
  for (const e of document.querySelectorAll(".bad, .warn")) e.classList.remove("bad", "warn");
  for (const e of document.querySelectorAll(".msgs")) e.replaceChildren();
  const errors = list.filter((d) => d.severity === "error").length;
  const warnings = list.length - errors;
  const summary = document.getElementById("summary");
  summary.textContent = errors || warnings ? `${errors} 个错误，${warnings} 个警告` : "检查通过";
  summary.className = "summary " + (errors ? "has-errors" : warnings ? "has-warnings" : "clean");

  const panel = document.getElementById("checks");
  const items = [];
  for (const d of list) {
    const cls = d.severity === "error" ? "bad" : "warn";
    const field = d.path ? findField(d.path) : null;
    const msg = () => el("div", { class: "msg " + cls, dataset: { rule: d.rule, path: d.path || "" } },
      el("strong", { text: d.message_zh }),
      d.hint ? el("div", { class: "hint", text: "提示：" + d.hint }) : null);
    if (field) {
      field.classList.add(cls);
      if (d.path && field.dataset.path === d.path) field.title = d.message_zh;
      const box = field.closest("[data-msgs]")?.querySelector(":scope > .msgs") || null;
      if (box) box.append(msg());
    }
    const item = el("li", { class: cls, dataset: { rule: d.rule, path: d.path || "" } },
      el("span", { class: "rule", text: d.rule }), " ", d.message_zh,
      d.hint ? el("div", { class: "hint", text: "提示：" + d.hint }) : null);
    if (field) item.addEventListener("click", () => { field.scrollIntoView({ block: "center" }); field.focus?.(); });
    items.push(item);
  }
  panel.replaceChildren(el("h2", { text: "检查结果" }), items.length ? el("ol", {}, items) : el("p", { class: "note", text: "没有发现问题。" }));
}

// ---------------------------------------------------------------- the form

function textField(label, path, opts) {
  const o = opts || {};
  const value = getPath(app.report, path);
  const input = el(o.multiline ? "textarea" : "input", { dataset: { path }, rows: o.multiline ? 4 : undefined, placeholder: o.placeholder, type: o.type });
  input.value = value === undefined || value === null ? "" : String(value);
  input.addEventListener("input", () => {
    const v = input.value;
    if (v === "" && o.optional) {
      const keys = parsePath(path);
      const parent = keys.length > 1 ? getPath(app.report, path.slice(0, path.lastIndexOf("."))) : app.report;
      if (parent && typeof parent === "object") delete parent[keys[keys.length - 1]];
    } else if (o.integer && /^\d+$/.test(v.trim())) {
      setPath(app.report, path, Number(v.trim()));
    } else {
      setPath(app.report, path, v);
    }
    changed();
  });
  return el("label", { class: "field", dataset: { msgs: "" } }, el("span", { text: label }), input, el("div", { class: "msgs" }));
}

function moveButtons(list, i, rerender) {
  const swap = (j) => {
    [list[i], list[j]] = [list[j], list[i]];
    rerender();
    changed();
  };
  return el("span", { class: "tools" },
    el("button", { type: "button", title: "上移", "aria-label": "上移", disabled: i === 0, onclick: () => swap(i - 1) }, "↑"),
    el("button", { type: "button", title: "下移", "aria-label": "下移", disabled: i === list.length - 1, onclick: () => swap(i + 1) }, "↓"),
    el("button", { type: "button", title: "删除", "aria-label": "删除", class: "remove", onclick: () => { list.splice(i, 1); rerender(); changed(); } }, "×"));
}

function paragraphs(path, host) {
  const render = () => {
    let list = getPath(app.report, path);
    if (!Array.isArray(list)) { setPath(app.report, path, []); list = getPath(app.report, path); }
    const rows = list.map((_, i) => {
      const p = `${path}[${i}]`;
      const area = el("textarea", { dataset: { path: p }, rows: 4, "aria-label": `第 ${i + 1} 段` });
      area.value = list[i];
      area.addEventListener("input", () => { list[i] = area.value; changed(); });
      return el("div", { class: "para", dataset: { msgs: "" } }, area, moveButtons(list, i, render), el("div", { class: "msgs" }));
    });
    host.replaceChildren(...rows,
      el("button", { type: "button", class: "add", onclick: () => { list.push(""); render(); changed(); } }, "＋ 段落"));
  };
  render();
}

function narrativeSection(key, host) {
  const sectionPath = key;
  if (!app.report[key] || typeof app.report[key] !== "object") app.report[key] = { paragraphs: [], subsections: [] };
  const own = el("div", { class: "paras" });
  paragraphs(`${sectionPath}.paragraphs`, own);
  const subsHost = el("div", { class: "subsections" });
  const renderSubs = () => {
    if (!Array.isArray(app.report[key].subsections)) app.report[key].subsections = [];
    const subs = app.report[key].subsections;
    const items = subs.map((sub, j) => {
      const base = `${sectionPath}.subsections[${j}]`;
      const paras = el("div", { class: "paras" });
      paragraphs(`${base}.paragraphs`, paras);
      return el("div", { class: "subsection", dataset: { path: base, msgs: "" } },
        el("div", { class: "subhead" }, el("span", { class: "num", text: `（${chineseNumber(j + 1)}）` }), textField("小标题", `${base}.title`), moveButtons(subs, j, renderSubs)),
        el("div", { class: "msgs" }),
        paras);
    });
    subsHost.replaceChildren(...items,
      el("button", { type: "button", class: "add", onclick: () => { subs.push({ title: "", paragraphs: [""] }); renderSubs(); changed(); } }, "＋ 小标题"));
  };
  renderSubs();
  host.append(own, subsHost);
}

function chineseNumber(n) {
  const d = "〇一二三四五六七八九";
  if (n < 10) return d[n];
  if (n < 20) return "十" + (n % 10 ? d[n % 10] : "");
  return d[Math.floor(n / 10)] + "十" + (n % 10 ? d[n % 10] : "");
}

/** The value a number cell shows: its own, or for a total the sum of its members. */
function cellValue(cell, computed) {
  const own = getPath(app.report, cell.path);
  if (!cell.sum_of) return own;
  let sum = 0;
  for (const m of cell.sum_of) {
    const v = m in computed ? computed[m] : getPath(app.report, m);
    if (typeof v !== "number") return own;
    sum += v;
  }
  return sum;
}

/** Recompute every total of a table (in grid order, so 总计 of 总计 follows) and write those
 *  the report states; the inputs show the new values. */
function recomputeTotals(table, inputs, except) {
  const computed = {};
  for (const row of table.rows) {
    for (const cell of row) {
      if (!cell.path) continue;
      const v = cellValue(cell, computed);
      computed[cell.path] = v;
      if (cell.sum_of && cell.path !== except) {
        if (getPath(app.report, cell.path) !== undefined && typeof v === "number") setPath(app.report, cell.path, v);
        const input = inputs.get(cell.path);
        if (input && document.activeElement !== input) input.value = v === undefined ? "" : String(v);
      }
    }
  }
}

function tableGrid(table) {
  const inputs = new Map();
  const colgroup = el("colgroup", {}, table.column_fractions.map((f) => {
    const c = el("col");
    c.style.width = (f * 100).toFixed(2) + "%";
    return c;
  }));
  const body = el("tbody");
  table.rows.forEach((row, r) => {
    const tr = el("tr");
    for (const cell of row) {
      const attrs = { colspan: cell.colspan > 1 ? cell.colspan : undefined, rowspan: cell.rowspan > 1 ? cell.rowspan : undefined, class: cell.kind };
      if (cell.path) {
        const v = getPath(app.report, cell.path);
        const input = el("input", { dataset: { path: cell.path }, inputmode: cell.path.endsWith(".fees") ? "decimal" : "numeric", "aria-label": cell.path, class: cell.sum_of ? "total" : undefined });
        input.value = v === undefined ? "" : String(v);
        input.addEventListener("input", () => {
          const t = input.value.trim();
          // A count the decoder can read is stored as a number; anything else is kept as typed,
          // so the check names the cell ("count-invalid") instead of the form guessing.
          if (/^\d+$/.test(t) && Number.isSafeInteger(Number(t))) setPath(app.report, cell.path, Number(t));
          else if (/^\d+\.\d+$/.test(t) && cell.path.endsWith(".fees")) setPath(app.report, cell.path, Number(t));
          else setPath(app.report, cell.path, t);
          recomputeTotals(table, inputs, cell.path);
          changed();
        });
        inputs.set(cell.path, input);
        tr.append(el("td", attrs, input));
      } else {
        tr.append(el(r < table.header_rows || cell.kind === "head" || cell.kind === "band" ? "th" : "td", attrs, cell.text));
      }
    }
    body.append(tr);
  });
  recomputeTotals(table, inputs, null);
  return el("div", { class: "table-box", dataset: { msgs: "", table: table.key } },
    el("table", { class: "grid " + table.key }, colgroup, body),
    el("div", { class: "msgs" }));
}

function sealField() {
  const preview = el("img", { class: "seal-preview", alt: "印章" });
  const show = () => { preview.hidden = !app.seal; if (app.seal) preview.src = app.seal; };
  const input = el("input", { type: "file", accept: "image/png,image/svg+xml,.png,.svg", "aria-label": "上传印章" });
  input.addEventListener("change", () => {
    const f = input.files && input.files[0];
    if (!f) return;
    const reader = new FileReader();
    reader.onload = () => { app.seal = String(reader.result); show(); changed(); };
    reader.readAsDataURL(f);
  });
  const remove = el("button", { type: "button", onclick: () => { app.seal = null; input.value = ""; show(); changed(); } }, "去掉印章");
  show();
  return el("div", { class: "field", dataset: { path: "signature.seal", msgs: "" } },
    el("span", { text: "印章（PNG 或 SVG，上传后只在本机处理）" }), input, remove, preview, el("div", { class: "msgs" }));
}

function renderForm() {
  const form = document.getElementById("form");
  const r = app.report;
  if (!r.contact || typeof r.contact !== "object") r.contact = {};
  if (!r.signature || typeof r.signature !== "object") r.signature = {};
  const parts = [];
  parts.push(el("fieldset", { class: "basics" }, el("legend", { text: "基本信息" }),
    textField("机关全称", "agency"),
    textField("报告年度", "year", { integer: true }),
    textField("标题（可不填，默认按机关和年度生成）", "title", { optional: true })));
  parts.push(el("fieldset", { class: "contact" }, el("legend", { text: "联系方式" }),
    textField("承办机构", "contact.office"),
    textField("地址", "contact.address", { optional: true }),
    textField("邮编", "contact.postcode", { optional: true }),
    textField("电话", "contact.phone", { optional: true }),
    textField("传真", "contact.fax", { optional: true }),
    textField("网站名称", "contact.website_name", { optional: true }),
    textField("网址", "contact.website_url", { optional: true }),
    textField("电子邮箱", "contact.email", { optional: true })));
  for (const s of app.layout.sections) {
    const box = el("fieldset", { class: "section", dataset: { path: s.key, msgs: "" } }, el("legend", { text: `${s.number}、${s.title}` }), el("div", { class: "msgs" }));
    if (s.narrative) narrativeSection(s.key, box);
    for (const t of app.layout.tables.filter((t) => t.section === s.key)) box.append(tableGrid(t));
    parts.push(box);
  }
  parts.push(el("fieldset", { class: "signature" }, el("legend", { text: "署名与印章" }),
    textField("署名机关", "signature.agency", { optional: true }),
    textField("成文日期", "signature.date", { type: "date", optional: true }),
    sealField()));
  form.replaceChildren(...parts);
}

// ---------------------------------------------------------------- downloads

function saveBlob(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function fileStem() {
  const bad = /[\/\\:*?"<>|\u0000-\u001f]/g;
  return `${String(app.report.agency || "").replace(bad, "_")}${app.report.year}年政府信息公开工作年度报告`;
}

async function download(format) {
  if (format === "json") {
    saveBlob(new Blob([reportText()], { type: "application/json" }), fileStem() + ".json");
    return;
  }
  let res;
  try {
    res = await api("/api/build?format=" + encodeURIComponent(format), envelope());
  } catch (e) {
    return;
  }
  if (!res.ok) {
    const doc = await res.json().catch(() => null);
    const diags = doc && doc.files && doc.files[0] ? doc.files[0].diagnostics : [];
    alert(`未能生成 ${format.toUpperCase()}：\n` + diags.filter((d) => d.severity === "error").map((d) => "· " + d.message_zh).join("\n"));
    return;
  }
  saveBlob(await res.blob(), `${fileStem()}.${format}`);
}

function renderDownloads() {
  const box = document.getElementById("downloads");
  const buttons = app.layout.formats.map((f) => el("button", { type: "button", dataset: { format: f }, onclick: () => download(f) }, f.toUpperCase()));
  buttons.push(el("button", { type: "button", dataset: { format: "json" }, onclick: () => download("json") }, "JSON"));
  box.replaceChildren(el("span", { text: "下载：" }), ...buttons);
}

// ---------------------------------------------------------------- starting

function loadReport(report) {
  app.report = report;
  for (const p of app.pages) URL.revokeObjectURL(p.url);
  app.pages = [];
  renderForm();
  changed();
}

/** Read an uploaded report: JSON as it is, anything else through `nianbao import`. */
async function readUpload(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > app.layout.max_body_bytes) throw new Error(`文件超过 ${app.layout.max_body_bytes} 字节的上限`);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (/\.json$/i.test(file.name) || /^\s*\{/.test(text)) {
    try { return JSON.parse(text); } catch (e) { throw new Error("不是有效的 JSON：" + e.message); }
  }
  const res = await api("/api/import", bytes);
  const doc = await res.json();
  if (!res.ok || !doc.report) {
    const d = (doc.files && doc.files[0] && doc.files[0].diagnostics) || [];
    throw new Error("无法读取：" + d.map((x) => x.message_zh).join("；"));
  }
  return JSON.parse(doc.report);
}

function startDialog() {
  const dlg = document.getElementById("start");
  const msg = document.getElementById("start-message");
  msg.textContent = "";
  document.getElementById("start-year").value = document.getElementById("start-year").value || String(new Date().getFullYear() - 1);
  if (!dlg.open) dlg.showModal();
}

function wireStart() {
  const msg = document.getElementById("start-message");
  const dlg = document.getElementById("start");
  document.getElementById("new-report").addEventListener("click", startDialog);
  document.getElementById("start-blank").addEventListener("click", async () => {
    const agency = document.getElementById("start-agency").value.trim();
    const year = document.getElementById("start-year").value.trim();
    const res = await api(`/api/blank?agency=${encodeURIComponent(agency)}&year=${encodeURIComponent(year)}`).catch(() => null);
    if (!res) return;
    const doc = await res.json();
    if (!res.ok) { msg.textContent = doc.files[0].diagnostics.map((d) => d.message_zh).join("；"); return; }
    loadReport(doc);
    dlg.close();
  });
  document.getElementById("start-json").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    try { loadReport(await readUpload(f)); dlg.close(); } catch (e) { msg.textContent = e.message; }
  });
  document.getElementById("start-previous").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    try {
      const prev = await readUpload(f);
      app.previous = JSON.stringify(prev, null, 2) + "\n";
      if (document.getElementById("start-from-previous").checked || !app.report) {
        const draft = JSON.parse(app.previous);
        for (const k of Object.keys(draft)) if (k.startsWith("x-")) delete draft[k];
        draft.year = Number(prev.year) + 1;
        if (draft.signature) draft.signature.date = `${draft.year + 1}-01-20`;
        delete draft.id;
        loadReport(draft);
      } else {
        changed();
      }
      msg.textContent = `已载入上年报告（${prev.agency || ""} ${prev.year || ""}年），跨年度核对已启用。`;
    } catch (e) {
      msg.textContent = e.message;
    }
  });
}

async function healthLoop() {
  try {
    const res = await fetch("/api/health", { cache: "no-store" });
    setOnline(res.ok);
  } catch (e) {
    setOnline(false);
  }
  setTimeout(healthLoop, app.online ? 5000 : 2000);
}

async function main() {
  wireStart();
  try {
    const res = await api("/api/layout");
    app.layout = await res.json();
  } catch (e) {
    document.getElementById("form").textContent = "无法连接 nianbao 服务。";
    return;
  }
  renderDownloads();
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { saved = null; }
  if (saved && saved.report) {
    app.previous = saved.previous || null;
    app.seal = saved.seal || null;
    loadReport(saved.report);
  } else {
    startDialog();
  }
  healthLoop();
}

main();
