/** The app's stylesheet: system fonts only, contrast at or above WCAG AA, visible focus. */
export const UI_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #4a5260; --bg: #ffffff; --line: #d0d7de; --accent: #0b5cad;
  --good: #0f6b2f; --bad: #a4161a; --soft: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--bg); padding: 0.25rem 0.5rem; z-index: 10; }
header { border-bottom: 1px solid var(--line); background: var(--soft); }
nav[aria-label="Main"] { display: flex; gap: 1.25rem; padding: 0.75rem 1.5rem; align-items: baseline; }
nav .brand { font-weight: 700; color: var(--fg); text-decoration: none; margin-right: 1rem; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tr.changed { background: #fff4ce; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; word-break: break-all; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 0.6rem; background: #e6ebf1; color: var(--fg); font-size: 0.85em; margin-right: 0.25rem; }
.badge.good { background: #dcf3e3; color: var(--good); }
.badge.bad { background: #fbe3e4; color: var(--bad); }
.notice { background: #e8f1fb; border: 1px solid #9cc3ec; padding: 0.5rem 0.75rem; }
.timeline { list-style: none; padding: 0; border-left: 2px solid var(--line); }
.timeline li { padding: 0.3rem 0 0.3rem 1rem; }
.timeline time, .crumbs, .reason, .metrics { color: var(--muted); }
.inline { list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }
.pages { display: flex; gap: 1rem; margin: 0.5rem 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
form.compare, form.action fieldset { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: end; }
form.action fieldset { border: 1px solid var(--line); margin: 0.75rem 0; padding: 0.75rem; }
label { display: flex; flex-direction: column; font-size: 0.9em; }
label.confirm { flex-direction: row; gap: 0.35rem; align-items: center; }
input { font: inherit; padding: 0.25rem 0.4rem; border: 1px solid #6e7781; border-radius: 4px; }
button { font: inherit; padding: 0.3rem 0.9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
.chart { min-height: 240px; }
.scroll { overflow-x: auto; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
.sparkline { width: 120px; height: 32px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
