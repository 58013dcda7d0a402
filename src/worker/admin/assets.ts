/**
 * The console's only script and stylesheet, served from the Worker (no CDN, no build step). The script is progressive
 * enhancement: every page works without it; with it, a running job's progress updates in place.
 */
export const CONSOLE_JS = `'use strict';
(function () {
  var job = document.querySelector('#job[data-live]');
  if (!job) return;
  var id = job.getAttribute('data-job-id');
  function tick() {
    fetch('/admin/jobs/' + id + '/live.json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return setTimeout(tick, 2000);
        var bar = document.getElementById('job-progress');
        bar.max = Math.max(1, s.progress.total);
        bar.value = s.progress.done;
        document.getElementById('job-progress-text').textContent = s.progress.done + '/' + s.progress.total;
        var badge = document.querySelector('#job-state [data-state]');
        badge.textContent = s.state;
        badge.className = 'state state-' + s.state;
        var attempts = document.getElementById('job-attempts');
        attempts.textContent = s.attempt_count + attempts.textContent.replace(/^\\d+/, '');
        // Finished: load the page once more for the attempts, resources and decision it now has.
        if (s.terminal) return location.reload();
        setTimeout(tick, 700);
      })
      .catch(function () { setTimeout(tick, 2000); });
  }
  setTimeout(tick, 500);
})();
`;

export const CONSOLE_CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1d2330;background:#f6f7f9}
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;background:#1d2330;color:#fff}
header nav{display:flex;gap:1rem;flex:1}header a{color:#cdd6e4;text-decoration:none}
header a.active{color:#fff;border-bottom:2px solid #6aa7ff}
header button{background:none;border:1px solid #58627a;color:#cdd6e4}
main{padding:1rem 1.4rem;max-width:1300px}h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
h3{font-size:.95rem;margin:.2rem 0}
table{border-collapse:collapse;background:#fff;width:100%;margin:.3rem 0}
th,td{border-bottom:1px solid #e3e6ec;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.msg{max-width:32rem;word-break:break-word}
code,pre{font:12px/1.4 ui-monospace,monospace}
pre{background:#fff;border:1px solid #e3e6ec;padding:.6rem;max-height:28rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #e3e6ec;padding:.6rem 1rem;min-width:11rem}
.card span{display:block;color:#667}.card b{font-size:1.5rem}
.state{display:inline-block;padding:0 .45rem;border-radius:.6rem;background:#e3e6ec;font-size:12px}
.state-succeeded{background:#d5f1dc}.state-running{background:#d8e8ff}.state-pending{background:#fff1c9}
.state-failed,.state-exhausted{background:#ffd9d6}.state-cancelled{background:#e4e4e4}
form.inline{display:inline-flex;gap:.4rem;align-items:center;margin:0 .3rem 0 0}
form.run,.fields{display:flex;flex-direction:column;gap:.5rem;max-width:34rem}label span{display:block;font-weight:600}
label small{color:#667}label.check{display:flex;gap:.4rem}
input,select,button{font:inherit;padding:.25rem .5rem}button{cursor:pointer;background:#2f6fdf;color:#fff;border:0;border-radius:3px}
button.danger{background:#c8372d}
section.pipeline,section.actions{background:#fff;border:1px solid #e3e6ec;padding:.6rem 1rem;margin:0 0 1rem}
.filters{display:flex;gap:.5rem;margin:.4rem 0 .8rem}.hint{color:#667}
.error{background:#ffe7e4;border:1px solid #f3b3ab;padding:.5rem .8rem}
dl.facts{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;background:#fff;border:1px solid #e3e6ec;padding:.6rem 1rem}
dt{color:#667}dd{margin:0}
progress{width:18rem;height:1rem;vertical-align:middle}
.add{color:#17733a}.del{color:#b1271b}.chg{color:#8a5a00}td.add{background:#effaf2}td.del{background:#fdf0ee}
.entity{background:#fff;border:1px solid #e3e6ec;border-left:4px solid #8a5a00;padding:.4rem .7rem;margin:.4rem 0}
.entity.added{border-left-color:#17733a}.entity.removed{border-left-color:#b1271b}
.entity th{width:12rem}.entity code{word-break:break-all}
button[disabled]{background:#9aa3b5;cursor:not-allowed}
.state-imported,.state-delivered{background:#d5f1dc}.state-queued{background:#fff1c9}.state-dead{background:#ffd9d6}
.state-duplicate{background:#e4e4e4}
ul.problems{margin:0;padding-left:1rem}ul.problems li{margin:.1rem 0}#whoami{color:#cdd6e4;font-size:12px}
`;
