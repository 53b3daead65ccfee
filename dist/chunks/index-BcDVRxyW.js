import { s as summaryLine } from './audit-command-DwHoB4B0.js';
export { a as auditFolder, b as auditGitHub, r as renderAuditJson, c as renderAuditText } from './audit-command-DwHoB4B0.js';
import 'node:fs/promises';
import 'node:path';
import 'node:util';
import './change-record.v1-PQwpiILr.js';
import './policy-DjAvqSWB.js';
import 'fs';
import 'os';
import 'http';
import 'https';
import './index-DSiugQJ4.js';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import './_commonjsHelpers-Bgu_3bK-.js';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'process';
import 'buffer';
import './log-text-O5UIUIY4.js';
import 'node:crypto';
import 'node:fs';
import 'node:stream/promises';
import 'http2';
import 'url';
import 'node:string_decoder';
import 'zlib';
import 'dns';
import 'crypto';
import 'stream';
import 'fs/promises';
import 'path';
import 'tty';
import 'timers/promises';
import 'node:child_process';
import './read-user-file-BZ-0qY-O.js';
import './open-flags-BT7QmZNK.js';
import 'node:os';
import './verify-request-Ch78VWm7.js';
import './schema-CBC16QML.js';
import './media-type-Dr6LIKcO.js';
import './schema-Dc5cwXO5.js';
import './concurrency-icQKjNbB.js';
import './main-tEkZ3sEr.js';
import './verify-command-5txqn-3T.js';

const RELEASE_STATUSES = [
  "verified",
  "not-verified",
  "unsigned",
  "withdrawn"
];
const FINDING_KINDS = [
  "unsigned-release",
  "verification-failed",
  "broken-link",
  "missing-predecessor",
  "fork",
  "orphan",
  "tag-moved",
  "withdrawal-invalid",
  "withdrawal-unverified"
];

function escapeHtml(value) {
  return String(value ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
const EXPLANATIONS = {
  "unsigned-release": {
    means: "A release without a signed manifest sits inside the signed history: it was made by another tool or by hand.",
    todo: "Find out who published it and why; re-release it through the workflow or delete it and record the decision."
  },
  "verification-failed": {
    means: "The release does not verify: its files, signatures, signer or change record are not what the workflow released.",
    todo: "Treat its assets as untrusted; compare with the transparency log and investigate how they changed."
  },
  "broken-link": {
    means: "The release names a predecessor whose manifest or change record is not the one it was chained to: the predecessor changed afterwards.",
    todo: "Establish which version of the predecessor is genuine; a changed record is evidence of tampering."
  },
  "missing-predecessor": {
    means: "The predecessor this release names no longer exists: it was deleted.",
    todo: "Find out who deleted it and when (organisation audit log); recover its record from the transparency log."
  },
  fork: {
    means: "Two releases name the same predecessor: they were made concurrently, so the history has two branches.",
    todo: "Confirm both were intended; serialise release runs (a concurrency group) so the chain stays linear."
  },
  orphan: {
    means: "A signed release does not link to the signed release before it.",
    todo: "Check whether a release was made from another repository or the chain was restarted, and record why."
  },
  "tag-moved": {
    means: "The tag no longer points at the commit the signed provenance names: the code behind the tag changed.",
    todo: "Restore the tag to the signed commit; enable immutable releases so tags cannot move."
  },
  "withdrawal-invalid": {
    means: "A withdrawal does not verify: it may be forged or damaged, so the release is not known to be withdrawn.",
    todo: "Withdraw the release again through the withdraw action if it must not be used."
  },
  "withdrawal-unverified": {
    means: "A withdrawal is present but could not be checked.",
    todo: "Verify the withdrawal by hand before relying on it."
  }
};
const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1rem;margin:.2rem 0}
code,.digest{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
.meta td:first-child{width:12rem;color:#57606a}
.finding{border-left:4px solid #cf222e;background:#fff5f5;padding:.5rem .8rem;margin:.6rem 0}
.finding .kind{font-weight:600;color:#cf222e}
.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}
.timeline{list-style:none;padding:0}
.timeline li{margin:0}
.release{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem}
.release.verified{border-left:6px solid #1a7f37}.release.not-verified{border-left:6px solid #cf222e}
.release.unsigned{border-left:6px solid #8c959f;background:#f6f8fa}.release.withdrawn{border-left:6px solid #9a6700;background:#fff8c5}
.link{margin-left:1.5rem;padding:.3rem 0 .3rem 1rem;border-left:3px solid #1a7f37;font-size:.9em}
.link.broken{border-left:3px dashed #cf222e;color:#cf222e}
.status{font-weight:600;text-transform:uppercase;font-size:.8em;letter-spacing:.04em}
section.detail{break-inside:avoid;page-break-inside:avoid}
@media print{body{margin:0;max-width:none}.release,.finding{break-inside:avoid}a{color:inherit}}
`;
function row(label, value) {
  return value ? `<tr><td>${escapeHtml(label)}</td><td>${value}</td></tr>` : "";
}
function findingHtml(f) {
  const e = EXPLANATIONS[f.kind];
  return `<div class="finding"><div><span class="kind">${escapeHtml(f.kind)}</span> \xB7 release <code>${escapeHtml(f.release)}</code></div>
<p>${escapeHtml(f.message)}</p><p><b>What it means:</b> ${escapeHtml(e.means)}<br><b>What to do:</b> ${escapeHtml(e.todo)}</p></div>`;
}
const CHAIN_KINDS = ["broken-link", "missing-predecessor", "fork", "orphan"];
function linkHtml(r, findings) {
  const problems = findings.filter((f) => f.release === r.tag && CHAIN_KINDS.includes(f.kind));
  if (problems.length > 0) {
    return `<li class="link broken">\u2717 ${problems.map((f) => `${escapeHtml(f.kind)}: ${escapeHtml(f.message)}`).join("<br>")}</li>`;
  }
  if (!r.record) return `<li class="link" style="border-left-color:#8c959f">\xB7 no verified link</li>`;
  const previous = r.record.chain.previous;
  return `<li class="link">${previous ? `\u2713 links to <code>${escapeHtml(previous.tag)}</code>` : "\u25CB first release of the chain"}</li>`;
}
function timelineHtml(report) {
  const items = report.releases.map((r, i) => {
    const link = i === 0 && !r.record?.chain.previous ? "" : linkHtml(r, report.findings);
    const record = r.record;
    return `${link}<li class="release ${escapeHtml(r.status)}"><span class="status">${escapeHtml(r.status)}</span> <b>${escapeHtml(r.tag)}</b> \xB7 ${escapeHtml(r.date ?? "date unknown")}${record?.change ? ` \xB7 ${escapeHtml(record.change.id)}: ${escapeHtml(record.change.title)}` : ""}</li>`;
  });
  return `<ol class="timeline">${items.join("\n")}</ol>`;
}
function listOf(values, as) {
  return values && values.length > 0 ? values.map((v) => escapeHtml(as(v))).join(", ") : void 0;
}
function deltasHtml(pd) {
  const lines = [];
  for (const [field, value] of Object.entries(pd)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    const delta = value;
    if (!Array.isArray(delta.added) && !Array.isArray(delta.removed)) continue;
    const show = (v) => typeof v === "string" ? v : JSON.stringify(v);
    const added = listOf(delta.added, show);
    const removed = listOf(delta.removed, show);
    lines.push(
      `<li>${escapeHtml(field)}: ${added ? `added ${added}` : ""}${added && removed ? "; " : ""}${removed ? `removed ${removed}` : ""}</li>`
    );
  }
  return lines.length > 0 ? `<ul>${lines.join("")}</ul>` : "";
}
function recordRows(r) {
  const record = r.record;
  if (!record) {
    return row(
      "change record",
      r.manifestSha256 ? '<span class="bad">not shown: it does not verify</span>' : void 0
    );
  }
  const change = record.change;
  const pd = record.personalData;
  const approvals = (change?.approvals ?? []).map(
    (a) => `${escapeHtml(a.role)}: ${escapeHtml(a.decision)} by <code>${escapeHtml(a.approver ?? "(omitted)")}</code>`
  ).join("<br>");
  const dpia = pd["dpia"]?.reference;
  return [
    row("change", change ? `${escapeHtml(change.id)}: ${escapeHtml(change.title)}` : void 0),
    row("summary", change?.summary ? escapeHtml(change.summary) : void 0),
    row("reason", change ? escapeHtml(change.reason) : void 0),
    row(
      "type / risk",
      change ? `${escapeHtml(change.type)} / ${escapeHtml(change.risk ?? "not stated")}` : void 0
    ),
    row("approvals (pseudonyms)", approvals || void 0),
    row("personal-data impact", escapeHtml(pd.impact)),
    row("personal-data deltas", deltasHtml(pd) || void 0),
    row("DPIA reference", dpia ? escapeHtml(dpia) : void 0),
    row("previous release", escapeHtml(record.chain.previous?.tag ?? "(none: first in the chain)"))
  ].join("");
}
function withdrawalRows(r) {
  const w = r.withdrawal;
  if (!w) return "";
  return [
    row("withdrawn at", escapeHtml(w.withdrawnAt)),
    row("withdrawal reason", `${escapeHtml(w.reason)}: ${escapeHtml(w.summary)}`),
    row("replacement", w.replacement ? `<code>${escapeHtml(w.replacement.tag)}</code>` : void 0),
    row(
      "Art. 33 deadline",
      w.breach ? `${escapeHtml(w.breach.notificationDeadline)} (aware ${escapeHtml(w.breach.awareAt)}, notifiable: ${escapeHtml(w.breach.notifiable)})` : void 0
    )
  ].join("");
}
function releaseDetail(r) {
  const failed = r.checks.filter((c) => !c.ok);
  return `<section class="detail"><h3>${escapeHtml(r.tag)} <span class="status ${r.status === "verified" ? "ok" : r.status === "withdrawn" ? "warn" : "bad"}">${escapeHtml(r.status)}</span></h3>
<table class="meta">${[
    row("published", escapeHtml(r.date ?? "unknown")),
    row(
      "manifest digest",
      r.manifestSha256 ? `<span class="digest">sha256:${escapeHtml(r.manifestSha256)}</span>` : "none (unsigned)"
    ),
    row(
      "signer workflow",
      r.signerWorkflow ? `<code>${escapeHtml(r.signerWorkflow)}</code>` : void 0
    ),
    row("commit", r.commit ? `<code>${escapeHtml(r.commit)}</code>` : void 0),
    row(
      "failed checks",
      failed.length > 0 ? failed.map((c) => `${escapeHtml(c.title)}: ${c.details.map(escapeHtml).join("; ")}`).join("<br>") : void 0
    ),
    recordRows(r),
    withdrawalRows(r)
  ].join("")}</table></section>`;
}
function renderAuditHtml(report) {
  const findings = report.findings.length === 0 ? '<p class="ok">No findings: every release verifies and the chain is intact.</p>' : report.findings.map(findingHtml).join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Release audit: ${escapeHtml(report.repository)}</title>
<style>${CSS}</style></head>
<body>
<h1>Release audit: ${escapeHtml(report.repository)}</h1>
<table class="meta">
${row("audited at", escapeHtml(report.auditedAt))}
${row("read from", report.source === "github" ? "the GitHub API" : "a folder of downloaded releases")}
${row("trusted root", `${escapeHtml(report.trustedRoot.source)} <span class="digest">sha256:${escapeHtml(report.trustedRoot.sha256)}</span>`)}
${row("result", `<b id="summary">${escapeHtml(summaryLine(report))}</b>`)}
</table>
${report.notes.map((n) => `<p class="warn">${escapeHtml(n)}</p>`).join("\n")}
<h2>Findings (${report.findings.length})</h2>
${findings}
<h2>Timeline and chain (${report.releases.length} releases, oldest first)</h2>
${timelineHtml(report)}
<h2>Releases</h2>
${report.releases.map(releaseDetail).join("\n")}
</body></html>
`;
}

const REGISTER_COLUMNS = [
  "category",
  "item",
  "details",
  "status",
  "introducedIn",
  "changedIn",
  "removedIn"
];
const joinDetails = (fields) => Object.entries(fields).filter(([, value]) => value !== void 0 && value !== "").map(([name, value]) => `${name}: ${value}`).join("; ");
const text = (value) => ({ item: value, details: "" });
function deltasOf(pd) {
  const party = (p) => ({
    item: p.name,
    details: joinDetails({ country: p.country, contract: p.contractReference })
  });
  const both = (delta, as) => ({
    added: (delta?.added ?? []).map(as),
    removed: (delta?.removed ?? []).map(as)
  });
  return [
    { category: "purposes", ...both(pd.purposes, text) },
    {
      category: "lawfulBasis",
      ...both(pd.lawfulBasis, (b) => ({
        item: b.purpose ? `${b.basis} (${b.purpose})` : b.basis,
        details: joinDetails({ assessment: b.assessmentReference })
      }))
    },
    { category: "dataCategories", ...both(pd.dataCategories, text) },
    {
      category: "specialCategories",
      added: (pd.specialCategories?.added ?? []).map((s) => ({
        item: s.category,
        details: joinDetails({ condition: s.condition })
      })),
      removed: (pd.specialCategories?.removed ?? []).map(text)
    },
    { category: "dataSubjects", ...both(pd.dataSubjects, text) },
    { category: "recipients", ...both(pd.recipients, party) },
    { category: "processors", ...both(pd.processors, party) },
    {
      category: "transfers",
      ...both(pd.transfers, (t) => ({
        item: t.recipient ? `${t.country}: ${t.recipient}` : t.country,
        details: joinDetails({
          safeguard: t.mechanism,
          derogation: t.derogation,
          assessment: t.transferImpactAssessment
        })
      }))
    },
    {
      category: "retention",
      ...both(pd.retention, (r) => ({
        item: r.dataCategory ?? "(all data)",
        details: joinDetails({
          period: typeof r.period === "string" ? r.period : `${r.period.duration} after ${r.period.after}`,
          policy: r.policyReference
        })
      }))
    },
    { category: "securityMeasures", ...both(pd.securityMeasures, text) }
  ];
}
function buildRegister(releases) {
  const rows = [];
  const current = /* @__PURE__ */ new Map();
  for (const release of releases) {
    const pd = release.record?.personalData;
    if (!pd || pd.impact === "unassessed") continue;
    for (const { category, added, removed } of deltasOf(pd)) {
      const removedNow = /* @__PURE__ */ new Map();
      for (const entry of removed) {
        const key = `${category}\0${entry.item}`;
        const row = current.get(key);
        if (!row) continue;
        row.status = "removed";
        row.removedIn = release.tag;
        current.delete(key);
        removedNow.set(key, row);
      }
      for (const entry of added) {
        const key = `${category}\0${entry.item}`;
        const replaced = current.get(key) ?? removedNow.get(key);
        if (replaced && replaced.details !== entry.details) {
          Object.assign(replaced, {
            details: entry.details,
            status: "current",
            changedIn: release.tag,
            removedIn: ""
          });
          current.set(key, replaced);
          continue;
        }
        if (replaced) {
          Object.assign(replaced, { status: "current", removedIn: "" });
          current.set(key, replaced);
          continue;
        }
        const row = {
          category,
          item: entry.item,
          details: entry.details,
          status: "current",
          introducedIn: release.tag,
          changedIn: "",
          removedIn: ""
        };
        rows.push(row);
        current.set(key, row);
      }
    }
  }
  return rows;
}
function csvField(value) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
function renderRegisterCsv(rows) {
  const lines = [REGISTER_COLUMNS.join(",")];
  for (const row of rows) lines.push(REGISTER_COLUMNS.map((c) => csvField(row[c])).join(","));
  return `${lines.join("\r\n")}\r
`;
}
function renderRegisterJson(rows) {
  return `${JSON.stringify({ columns: REGISTER_COLUMNS, rows }, null, 2)}
`;
}

export { FINDING_KINDS, REGISTER_COLUMNS, RELEASE_STATUSES, buildRegister, renderAuditHtml, renderRegisterCsv, renderRegisterJson, summaryLine };
