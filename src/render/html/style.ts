/** The page's only stylesheet: system fonts (nothing to fetch), print-friendly, charts scale down on narrow screens. */
export const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; --error: #c62828; --warn: #b26a00; --info: #0b6bcb; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
header { border-bottom: 2px solid var(--line); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.meta { margin: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; color: var(--muted); }
.meta .k { font-weight: 600; color: var(--fg); }
.badge { display: inline-block; padding: 1px 10px; border-radius: 10px; font-weight: 600; font-size: 12px; }
.badge.ok { background: #dafbe1; color: #116329; }
.badge.warn { background: #fff1c2; color: #7a4d00; }
.overview { display: grid; grid-template-columns: repeat(auto-fit, minmax(400px, 1fr)); gap: 0 32px; }
table { border-collapse: collapse; }
table.facts { width: 100%; }
table.facts th { text-align: left; font-weight: 500; color: var(--muted); padding: 3px 12px 3px 0; white-space: nowrap; vertical-align: top; }
table.facts td { padding: 3px 0; font-variant-numeric: tabular-nums; }
table.facts tr.sub th { padding-left: 16px; }
table.facts tr + tr { border-top: 1px solid var(--band); }
.scroll { overflow-x: auto; }
table.data { font-size: 12.5px; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 4px 7px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
table.data th { background: var(--band); font-weight: 600; white-space: normal; vertical-align: bottom; }
table.data td:not(.num) { white-space: normal; min-width: 3em; }
table.data .num { text-align: right; }
table.data tbody tr:nth-child(even) { background: #fbfcfd; }
ul.findings { list-style: none; padding: 0; margin: 0; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: 6px; padding: 8px 12px; margin: 0 0 10px; }
.finding.error { border-left-color: var(--error); }
.finding.warn { border-left-color: var(--warn); }
.finding-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.finding-head strong { overflow-wrap: anywhere; }
.sev { text-transform: uppercase; font-size: 11px; font-weight: 700; letter-spacing: .04em; color: var(--info); }
.finding.error .sev { color: var(--error); }
.finding.warn .sev { color: var(--warn); }
.finding code { font-size: 12px; background: var(--band); padding: 1px 5px; border-radius: 4px; }
.evidence { color: var(--muted); font-size: 13px; margin-top: 3px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.suggestion { margin-top: 3px; }
.note { color: var(--muted); font-style: italic; }
figure.chart { margin: 16px 0 24px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: #333; }
svg .chart-title { font-size: 15px; font-weight: 700; fill: var(--fg); }
svg .chart-subtitle { font-size: 12px; fill: var(--muted); }
svg .axis-label { font-size: 12px; font-weight: 600; fill: #444; }
svg .tick { fill: #444; font-variant-numeric: tabular-nums; }
svg .legend { fill: #333; }
svg .value { fill: #333; font-variant-numeric: tabular-nums; }
svg .value.bad { fill: var(--error); }
svg .grid { stroke: #e3e7eb; stroke-width: 1; }
svg .axis { stroke: #888; stroke-width: 1; }
svg .band { fill: var(--band); }
svg .whisker { stroke: #333; stroke-width: 1.2; }
svg .box { stroke: #333; stroke-width: 1; }
svg .median { stroke: #111; stroke-width: 2.5; }
svg .max { fill: #333; }
svg .curve { stroke-width: 2.5; }
svg .critical { stroke-width: 2; stroke-dasharray: 6 4; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { main { max-width: none; } figure.chart { break-inside: avoid; } }
`;
