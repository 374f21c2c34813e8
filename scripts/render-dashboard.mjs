#!/usr/bin/env node
// Renders deploy/grafana/baton-dashboard.json without Grafana (Debian has no
// Grafana package): runs every panel's PromQL against a real Prometheus
// (query_range over the last MINUTES), draws each series as an SVG line in the
// dashboard's grid, and writes one HTML page. Grafana's macros are replaced:
// $__rate_interval by 30s (4 x a 5 s scrape interval) and $workflow by .*.
//   node scripts/render-dashboard.mjs http://127.0.0.1:9090 out.html [MINUTES]
//   chromium --headless --screenshot=dashboard.png --window-size=1600,2200 out.html
import { readFileSync, writeFileSync } from 'node:fs';

const [prometheus, out, minutes = '10'] = process.argv.slice(2);
if (!prometheus || !out) {
  console.error('usage: render-dashboard.mjs PROMETHEUS_URL OUT.html [MINUTES]');
  process.exit(2);
}
const dashboard = JSON.parse(
  readFileSync(new URL('../deploy/grafana/baton-dashboard.json', import.meta.url), 'utf8'),
);
const end = Math.floor(Date.now() / 1000);
const start = end - Number(minutes) * 60;
const step = Math.max(5, Math.floor((end - start) / 120));
const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#fade2a'];
const UNIT = {
  s: (v) => `${fmt(v)} s`,
  ops: (v) => `${fmt(v)}/s`,
  reqps: (v) => `${fmt(v)}/s`,
  bytes: (v) => `${fmt(v / 2 ** 20)} MiB`,
  percentunit: (v) => `${fmt(v * 100)}%`,
};
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

async function range(expr) {
  const query = expr.replaceAll('$__rate_interval', '30s').replaceAll('$workflow', '.*');
  const url = `${prometheus}/api/v1/query_range?${new URLSearchParams({ query, start, end, step })}`;
  const body = await (await fetch(url)).json();
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

const legendOf = (format, metric) => format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => metric[name] ?? '');

async function panelHtml(panel) {
  const series = [];
  for (const target of panel.targets ?? []) {
    for (const result of await range(target.expr)) {
      const points = result.values
        .map(([t, v]) => [Number(t), Number(v)])
        .filter(([, v]) => Number.isFinite(v));
      if (points.length > 0) series.push({ name: legendOf(target.legendFormat, result.metric), points });
    }
  }
  const unit = UNIT[panel.fieldConfig?.defaults?.unit] ?? fmt;
  if (panel.type === 'stat') {
    const last = series.map((s) => s.points[s.points.length - 1][1]).reduce((a, b) => a + b, 0);
    return `<div class="stat ${last > 0 ? 'bad' : 'good'}">${fmt(last)}</div>`;
  }
  if (series.length === 0) return '<div class="empty">No data</div>';
  const W = 560,
    H = 190;
  const max = Math.max(...series.flatMap((s) => s.points.map(([, v]) => v)), 1e-9);
  const x = (t) => ((t - start) / (end - start)) * W;
  const y = (v) => H - (v / max) * (H - 10);
  const lines = series
    .map(
      (s, i) =>
        `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.6" points="${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${s.name} ${unit(s.points[s.points.length - 1][1])}</span>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none"><text x="2" y="10">${unit(max)}</text><line x1="0" x2="${W}" y1="${H}" y2="${H}"/>${lines}</svg><div class="legend">${legend}</div>`;
}

let html = `<!doctype html><meta charset="utf-8"><title>${dashboard.title}</title><style>
body{background:#111217;color:#ccccdc;font:12px sans-serif;margin:8px}h1{font-size:16px;margin:4px 0 8px}
.grid{display:grid;grid-template-columns:repeat(24,1fr);grid-auto-rows:28px;gap:6px}
.panel{background:#181b1f;border:1px solid #2c3235;border-radius:2px;padding:6px;overflow:hidden}
.panel h2{font-size:12px;margin:0 0 4px;font-weight:500}.row{font-size:14px;font-weight:600;align-self:end}
svg{width:100%;height:150px}svg text{fill:#8e8e8e;font-size:10px}svg line{stroke:#2c3235}
.legend span{margin-right:10px;white-space:nowrap}.legend i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
.stat{font-size:48px;text-align:center;padding-top:40px}.good{color:#73bf69}.bad{color:#f2495c}.empty{color:#666;padding:60px;text-align:center}
</style><h1>${dashboard.title} — rendered from deploy/grafana/baton-dashboard.json by scripts/render-dashboard.mjs, last ${minutes} min, ${new Date(end * 1000).toISOString()}</h1><div class="grid">`;
for (const panel of dashboard.panels) {
  const { x, y, w, h } = panel.gridPos;
  const place = `grid-column:${x + 1}/span ${w};grid-row:${y + 1}/span ${h}`;
  if (panel.type === 'row') html += `<div class="row" style="${place}">${panel.title}</div>`;
  else html += `<div class="panel" style="${place}"><h2>${panel.title}</h2>${await panelHtml(panel)}</div>`;
}
writeFileSync(out, `${html}</div>`);
console.log(`render-dashboard: ${out}`);
