// Server-rendered HTML of the development broker: Dutch, no external assets,
// usable with keyboard only and without JavaScript.

import { IDENTITIES, LEVELS, METHODS } from './identities.js';

export function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const CSS = `
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         font-size: 1.0625rem; line-height: 1.5; color: #1b1b1b; background: #f3f3f3; }
  main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.6rem; margin: 0 0 1rem; }
  .dev-warning { border: 3px solid #a15c00; background: #fff4e0; padding: .75rem 1rem; margin: 0 0 1.5rem; }
  .error { border: 3px solid #b00020; background: #fdecee; padding: .75rem 1rem; margin: 0 0 1.5rem; }
  form { margin: 0 0 1.5rem; }
  fieldset { background: #fff; border: 1px solid #767676; border-radius: 4px; padding: 1rem 1.25rem 1.25rem; margin: 0; }
  legend { font-size: 1.25rem; font-weight: 700; padding: 0 .25rem; }
  label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
  select { display: block; width: 100%; font: inherit; padding: .4rem; border: 2px solid #4b4b4b; border-radius: 3px; background: #fff; color: inherit; }
  .buttons { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.25rem; }
  button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 3px; cursor: pointer;
           border: 2px solid #154273; background: #154273; color: #fff; }
  button.secondary { background: #fff; color: #154273; }
  :focus-visible { outline: 3px solid #ffb612; outline-offset: 3px; box-shadow: 0 0 0 6px #1b1b1b; }
  code { font-size: .9em; }
`;

function layout(title, content, { script = '' } = {}) {
  return `<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${content}
</main>
${script}
</body>
</html>`;
}

const DEV_WARNING = `<p class="dev-warning" id="dev-warning"><strong>Alleen voor ontwikkeling en tests.</strong>
Dit is een nagebootste inlogdienst met fictieve testgegevens. Het is geen echte DigiD, eHerkenning of eIDAS
en mag nooit in productie gebruikt worden.</p>`;

// The level to preselect: the lowest of the requested acr_values that belongs
// to this method, otherwise the method's lowest level.
export function preselectedLevel(method, acrValues) {
  const requested = new Set((acrValues || '').split(' ').filter(Boolean));
  const match = LEVELS[method].find((level) => requested.has(level.acr));
  return (match || LEVELS[method][0]).acr;
}

function methodForm(uid, method, acrValues) {
  const { label } = METHODS[method];
  const selected = preselectedLevel(method, acrValues);
  const identities = IDENTITIES.filter((identity) => identity.method === method)
    .map((identity) => `<option value="${esc(identity.id)}">${esc(identity.label)} (${esc(identity.id)})</option>`)
    .join('\n        ');
  const levels = LEVELS[method]
    .map((level) => `<option value="${esc(level.acr)}"${level.acr === selected ? ' selected' : ''}>${esc(level.label)}</option>`)
    .join('\n        ');

  return `<form id="${method}-form" method="post" action="/interaction/${esc(uid)}">
  <input type="hidden" name="method" value="${method}">
  <fieldset>
    <legend>${esc(label)}</legend>
    <label for="${method}-identity">Testidentiteit</label>
    <select id="${method}-identity" name="identity">
        ${identities}
    </select>
    <label for="${method}-level">Betrouwbaarheidsniveau</label>
    <select id="${method}-level" name="level">
        ${levels}
    </select>
    <div class="buttons">
      <button type="submit" id="${method}-submit" name="action" value="login">Inloggen met ${esc(label)}</button>
      <button type="submit" id="${method}-cancel" name="action" value="cancel" class="secondary">Annuleren</button>
    </div>
  </fieldset>
</form>`;
}

export function loginPage({ uid, clientName, methods, acrValues, error }) {
  const title = 'Ontwikkel-broker: kies een testidentiteit';
  const requested = acrValues
    ? `<p>Gevraagd betrouwbaarheidsniveau (<code>acr_values</code>): <code>${esc(acrValues)}</code>.</p>`
    : '';
  const errorBox = error ? `<p class="error" role="alert" id="login-error">${esc(error)}</p>` : '';
  return layout(title, `<h1>${esc(title)}</h1>
${DEV_WARNING}
${errorBox}
<p>Inloggen bij <strong>${esc(clientName)}</strong>. Kies een testidentiteit en een betrouwbaarheidsniveau.</p>
${requested}
${methods.map((method) => methodForm(uid, method, acrValues)).join('\n')}`);
}

// RP-initiated logout: logs out directly with a tiny script; without
// JavaScript the visible "Uitloggen" button does the same. `form` is the
// provider's form (it carries the xsrf token); the button is tied to it with
// the form attribute and sends logout=yes, which ends the whole broker session.
export function logoutPage(form, message = 'U wordt uitgelogd bij de ontwikkel-broker.') {
  const title = 'Ontwikkel-broker: uitloggen';
  return layout(title, `<h1>${esc(title)}</h1>
${DEV_WARNING}
<p>${esc(message)}</p>
${form}
<div class="buttons">
  <button type="submit" form="op.logoutForm" id="logout-submit" name="logout" value="yes">Uitloggen</button>
</div>`, {
    script: '<script>document.getElementById("logout-submit").click();</script>',
  });
}

export function loggedOutPage() {
  const title = 'Ontwikkel-broker: uitgelogd';
  return layout(title, `<h1>${esc(title)}</h1>
${DEV_WARNING}
<p>U bent uitgelogd bij de ontwikkel-broker.</p>`);
}

export function errorPage(out) {
  const title = 'Ontwikkel-broker: er ging iets mis';
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt><code>${esc(key)}</code></dt><dd>${esc(value)}</dd>`)
    .join('\n');
  return layout(title, `<h1>${esc(title)}</h1>
${DEV_WARNING}
<dl id="error-details">
${rows}
</dl>`);
}
