/**
 * The pages' one stylesheet: mobile-first (a 390 px phone is the main reader), system fonts (no
 * third-party requests), colours chosen for at least 4.5:1 contrast on white and a focus ring that
 * shows on every interactive element. Inlined into invitee pages under a CSP hash; served as
 * /admin/app.css to the dashboard.
 */
export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font:100%/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;background:#f4f5f7}
body{margin:0}
a{color:#0b4f8a}
a:hover{color:#062f52}
:focus-visible{outline:3px solid #0b4f8a;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header.site{background:#0b3d66;color:#fff;padding:12px 16px}
header.site a{color:#fff}
header.site .brand{font-weight:700;margin:0}
nav.lang ul{list-style:none;margin:4px 0 0;padding:0;display:flex;gap:12px;flex-wrap:wrap}
nav.lang a[aria-current]{font-weight:700;text-decoration:none;border-bottom:2px solid #fff}
main{max-width:42rem;margin:0 auto;padding:16px}
main.wide{max-width:72rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #c9ced6;border-radius:8px;padding:16px;margin:0 0 16px}
fieldset{border:1px solid #c9ced6;border-radius:8px;background:#fff;padding:12px 16px 16px;margin:0 0 16px;min-width:0}
legend{font-weight:700;padding:0 4px}
label{display:block;font-weight:600;margin:12px 0 4px}
.choice label{display:flex;align-items:center;gap:8px;font-weight:400;margin:8px 0;min-height:44px}
.choice input{width:24px;height:24px;margin:0;flex:none}
input[type=text],input[type=email],input[type=number],input[type=datetime-local],select,textarea,input[type=password],input[type=search],input[type=file]{width:100%;font:inherit;padding:10px;border:2px solid #5a6472;border-radius:6px;background:#fff;color:#1b1b1b}
textarea{min-height:5rem}
.hint,.meta{color:#4a5360;font-size:.95rem;margin:2px 0 4px}
.error-message{color:#a4001d;font-weight:600;margin:4px 0}
[aria-invalid=true]{border-color:#a4001d}
fieldset.invalid{border:2px solid #a4001d}
.error-summary{border:3px solid #a4001d;background:#fff;padding:12px 16px;border-radius:8px;margin:0 0 16px}
.error-summary h2{margin-top:0;color:#a4001d}
.notice{border-left:6px solid #0b4f8a;background:#fff;padding:12px 16px;margin:0 0 16px}
.notice.closed{border-color:#8a5a00}
.status{display:inline-block;padding:2px 8px;border-radius:999px;font-size:.9rem;font-weight:600;background:#e7eaee;color:#1b1b1b}
.status-confirmed{background:#d9f0e1;color:#0d5a2b}
.status-waitlisted{background:#fff1cc;color:#6b4500}
.status-declined{background:#f2e1e4;color:#7a1126}
button,.button{display:inline-block;font:inherit;font-weight:700;padding:12px 20px;min-height:44px;border-radius:6px;border:2px solid #0b4f8a;background:#0b4f8a;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#0b4f8a}
button:disabled{opacity:.6;cursor:not-allowed}
#companions [hidden]{display:none}
dl.summary{display:grid;grid-template-columns:1fr;gap:2px 16px}
dl.summary dt{font-weight:600}
dl.summary dd{margin:0 0 8px}
ul.plain{list-style:none;padding:0}
footer.site{max-width:42rem;margin:0 auto;padding:16px;color:#4a5360;font-size:.9rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #c9ced6;padding:8px;text-align:left;vertical-align:top}
.table-wrap{overflow-x:auto}
.bar-label{font-size:.9rem}
.legend{display:flex;gap:16px;flex-wrap:wrap;font-size:.9rem}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.sw-confirmed{background:#1a7f37}.sw-waitlisted{background:#b35900}.sw-free{background:#d0d5dc}
.grid{display:grid;gap:16px}
.filters{display:grid;gap:8px}
form.switch{display:grid;grid-template-columns:1fr auto;gap:0 8px;align-items:end;max-width:36rem}
form.switch label{grid-column:1/-1}
form.switch[hidden]{display:none}
ul.grants{list-style:none;padding:0;margin:0 0 8px}
ul.grants li{display:grid;grid-template-columns:1fr;gap:8px;margin:0 0 12px}
ul.grants [hidden]{display:none}
ul.grants li>button{grid-column:-2}
ul.grants .every{margin:0}
dialog{max-width:40rem;width:calc(100% - 32px);border:1px solid #c9ced6;border-radius:8px}
@media (max-width:47.99rem){
  table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
  table.stack tr,table.stack td,table.stack tbody th{display:block}
  table.stack tr{border-bottom:1px solid #c9ced6;padding:8px 0}
  table.stack td,table.stack tbody th{border:0;padding:4px 0}
  table.stack tr>:first-child{font-weight:600}
  table.stack tr>:first-child .meta{font-weight:400}
  table.stack td[data-label]::before{content:attr(data-label);display:block;font-weight:600;font-size:.9rem;color:#4a5360}
}
@media (min-width:48rem){
  h1{font-size:1.9rem}
  dl.summary{grid-template-columns:max-content 1fr}
  .grid.two{grid-template-columns:1fr 1fr}
  .filters{grid-template-columns:2fr 1fr 1fr 1fr 1fr auto;align-items:end}
  ul.grants li{grid-template-columns:minmax(10rem,1fr) minmax(12rem,2fr) auto;align-items:center}
}
`.trim();
