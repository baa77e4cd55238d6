/**
 * The IDE page's own script (browser JavaScript, served as `<path>/ide/init.js`): renders
 * GraphiQL with the page's config. A file rather than an inline script so a strict
 * Content-Security-Policy (`script-src 'self'`) can allow it.
 *
 * The fetcher returns the whole JSON answer, so the result pane shows `extensions` (the
 * `degraded` manifest, `traceId`) beside `data` and `errors`, and an HTTP error's GraphQL body
 * (401 UNAUTHENTICATED, 429 RATE_LIMITED) as it came.
 */
export const IDE_CLIENT_SCRIPT = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('edgeway-ide-config').textContent);
  // A header still holding the prefilled placeholder is a hint, not a value: it is not sent.
  var PLACEHOLDER = '<paste';

  function fetcher(params, options) {
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (name) {
      var value = String(extra[name]);
      if (value.indexOf(PLACEHOLDER) === -1) headers[name.toLowerCase()] = value;
    });
    return fetch(config.endpoint, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(params),
      credentials: 'omit',
    }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (error) {
          return { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 500) }] };
        }
      });
    });
  }

  var ui = window.GraphiQL;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(ui.GraphiQL || ui, {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: config.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
})();
`;
