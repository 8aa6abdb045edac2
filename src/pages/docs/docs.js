/* The API reference: Swagger UI over the mock's three specs, "try it" against this origin with the fixtures' tokens. */
(function () {
  'use strict';
  var state = { config: null, spec: null, ui: null, json: null };
  var $ = function (id) {
    return document.getElementById(id);
  };

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (res) {
      if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
      return res.json();
    });
  }

  /** The spec as the page shows it: its servers are this page's origin, company_id prefilled with the preset's company. */
  function prepared(doc, preset) {
    var copy = JSON.parse(JSON.stringify(doc));
    copy.servers = [{ url: window.location.origin, description: 'this mock' }];
    var companyId = copy.components && copy.components.parameters && copy.components.parameters.CompanyId;
    if (companyId && preset && preset.company) companyId.example = preset.company;
    return copy;
  }

  function currentPreset() {
    var presets = state.spec.presets;
    return presets.length > 0 ? presets[Number($('preset').value) || 0] : null;
  }

  function authorize() {
    var preset = currentPreset();
    if (state.ui && preset && state.spec.scheme) state.ui.preauthorizeApiKey(state.spec.scheme, preset.value);
  }

  function render() {
    var preset = currentPreset();
    state.ui = SwaggerUIBundle({
      spec: prepared(state.json, preset),
      dom_id: '#swagger-ui',
      validatorUrl: null,
      deepLinking: false,
      tryItOutEnabled: false,
      displayRequestDuration: true,
      defaultModelsExpandDepth: 0,
      docExpansion: 'list',
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      onComplete: authorize,
    });
  }

  function showNote(spec) {
    var note = $('note');
    note.textContent = '';
    var preset = spec.presets[0];
    if (!spec.scheme) {
      note.appendChild(
        document.createTextNode('No authentication: "Try it out" calls this mock\u2019s control API directly.'),
      );
      return;
    }
    note.appendChild(
      document.createTextNode(
        '"Try it out" calls this mock (' + window.location.origin + ') as the preset chosen above',
      ),
    );
    if (preset && preset.company)
      note.appendChild(document.createTextNode('; company_id is prefilled with the token\u2019s company'));
    note.appendChild(document.createTextNode('. "Authorize" takes any other token.'));
  }

  function fillPresets(spec) {
    var select = $('preset');
    select.textContent = '';
    spec.presets.forEach(function (p, i) {
      var option = document.createElement('option');
      option.value = String(i);
      option.textContent = p.label;
      select.appendChild(option);
    });
    $('preset-box').hidden = spec.presets.length === 0;
  }

  function select(name) {
    var spec =
      state.config.specs.filter(function (s) {
        return s.name === name;
      })[0] || state.config.specs[0];
    state.spec = spec;
    Array.prototype.forEach.call($('spec-tabs').children, function (b) {
      b.setAttribute('aria-pressed', String(b.dataset.spec === spec.name));
    });
    $('spec-yaml').href = spec.yaml;
    $('spec-json').href = spec.json;
    fillPresets(spec);
    showNote(spec);
    if (window.location.hash !== '#' + spec.name) history.replaceState(null, '', '#' + spec.name);
    return fetchJson(spec.json).then(function (doc) {
      if (state.spec !== spec) return;
      state.json = doc;
      render();
    });
  }

  function start(config) {
    state.config = config;
    var tabs = $('spec-tabs');
    config.specs.forEach(function (s) {
      var b = document.createElement('button');
      b.type = 'button';
      b.dataset.spec = s.name;
      b.textContent = s.title;
      // The Waldur spec of the profile the world of this page runs (/__admin/waldur/settings) says so.
      if (s.waldurVersion && s.waldurVersion === config.waldur_version) {
        b.textContent = s.title + ' \u00b7 running';
        b.title = 'This world serves the Waldur ' + s.waldurVersion + ' contract';
        b.dataset.running = 'true';
      }
      b.addEventListener('click', function () {
        select(s.name).catch(fail);
      });
      tabs.appendChild(b);
    });
    if (config.console) $('console-link').hidden = false;
    $('preset').addEventListener('change', function () {
      var preset = currentPreset();
      if (preset && preset.company) render();
      else authorize();
    });
    window.addEventListener('hashchange', function () {
      var name = window.location.hash.slice(1);
      if (!state.spec || name !== state.spec.name) select(name).catch(fail);
    });
    var running = config.specs.filter(function (s) {
      return s.waldurVersion && s.waldurVersion === config.waldur_version;
    })[0];
    return select(window.location.hash.slice(1) || (running ? running.name : ''));
  }

  function fail(err) {
    $('note').textContent = 'Could not load the API reference: ' + (err && err.message ? err.message : String(err));
  }

  fetchJson('config.json').then(start).catch(fail);
})();
