/** The report page's stylesheet (inlined: the report is one self-contained file). */
export const REPORT_STYLE = `
:root { --lane: 34px; --label: 90px; --ok: #2e7d32; --bad: #c62828; --unknown: #ef6c00; --skip: #757575; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #222; background: #fafafa; }
header { padding: 10px 16px; background: #fff; border-bottom: 1px solid #ddd; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
h1 { font-size: 16px; margin: 0; }
.verdict { font-weight: 600; padding: 2px 8px; border-radius: 4px; color: #fff; }
.verdict.ok { background: var(--ok); } .verdict.illegal { background: var(--bad); }
.verdict.unknown { background: var(--unknown); } .verdict.skipped { background: var(--skip); }
nav { padding: 8px 16px; display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
nav button { border: 1px solid #bbb; background: #fff; border-radius: 4px; padding: 3px 8px; cursor: pointer; font: inherit; }
nav button.selected { outline: 2px solid #1565c0; }
nav button .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; }
.dot.ok { background: var(--ok); } .dot.illegal { background: var(--bad); } .dot.unknown { background: var(--unknown); } .dot.skipped { background: var(--skip); }
.layout { display: flex; gap: 12px; padding: 0 16px 16px; align-items: flex-start; }
#timeline-box { flex: 1; overflow-x: auto; background: #fff; border: 1px solid #ddd; border-radius: 4px; }
#timeline { position: relative; }
.lane { position: relative; height: var(--lane); border-bottom: 1px solid #eee; }
.lane-label { position: sticky; left: 0; z-index: 3; width: var(--label); height: 100%; display: flex; align-items: center; padding-left: 8px; background: #fff; border-right: 1px solid #ddd; font-weight: 600; }
.op { position: absolute; top: 6px; height: 22px; border-radius: 4px; background: #90caf9; border: 1px solid #42a5f5; overflow: hidden; white-space: nowrap; font-size: 11px; padding: 2px 4px; cursor: pointer; z-index: 1; }
.op.pending { background: linear-gradient(90deg, #90caf9, rgba(144, 202, 249, 0.1)); border-right-style: dashed; }
.op.dim { opacity: 0.18; }
.op.linearized { background: #a5d6a7; border-color: #43a047; }
.op.candidate { background: #ffe0b2; border-color: #fb8c00; }
.op.stuck { background: #ef9a9a; border: 2px solid var(--bad); z-index: 2; }
.op.active { box-shadow: 0 0 0 3px #1565c0; }
.op .order { display: inline-block; min-width: 16px; padding: 0 3px; margin-right: 4px; border-radius: 8px; background: #1b5e20; color: #fff; text-align: center; }
#stuck-line { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--bad); z-index: 2; pointer-events: none; }
#stuck-line span { position: absolute; top: 0; left: 4px; background: var(--bad); color: #fff; padding: 0 4px; font-size: 11px; white-space: nowrap; }
aside { width: 380px; flex: none; background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: 10px 12px; max-height: 85vh; overflow: auto; }
aside h2 { font-size: 14px; margin: 4px 0 8px; }
aside table { border-collapse: collapse; width: 100%; }
aside td, aside th { border-bottom: 1px solid #eee; padding: 2px 4px; text-align: left; vertical-align: top; }
aside tr.stuck-row td { color: var(--bad); font-weight: 600; }
aside tr[data-op] { cursor: pointer; }
.muted { color: #777; }
code { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
`;
