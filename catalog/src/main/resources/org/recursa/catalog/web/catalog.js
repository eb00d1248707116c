// The catalog's web page: plain DOM over /api/search and /api/plugins/{id}, no build step. Routes live in the
// fragment: #/?q=...&kind=...&page=... for a search, #/plugin/<id> for a plugin's page. Text from the catalog is
// only ever inserted as text, never as HTML, and links are only followed when they are http(s).
'use strict';

const KINDS = ['architecture', 'task', 'sampler', 'compressor'];
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  });
  children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c ?? ''))));
  return node;
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || '') ? url : null;
}

async function getJson(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function searchHash(q, kind, page) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (kind) params.set('kind', kind);
  if (page && page > 1) params.set('page', page);
  return '#/?' + params.toString();
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

async function showSearch(params) {
  const q = params.get('q') || '';
  const kind = params.get('kind') || '';
  const page = Number(params.get('page') || '1');
  $('q').value = q;
  $('search-view').hidden = false;
  $('plugin-view').hidden = true;
  const api = new URLSearchParams();
  if (q) api.set('q', q);
  if (kind) api.set('kind', kind);
  api.set('page', page);
  const result = await getJson('/api/search?' + api.toString());

  const counts = result.facets.kind || {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  $('kinds').replaceChildren(
    el('a', {href: searchHash(q, '', 1), class: kind ? '' : 'active', 'data-kind': ''}, 'all'),
    ...KINDS.map((k) => el('a', {href: searchHash(q, k, 1), class: k === kind ? 'active' : '', 'data-kind': k},
      `${k} (${counts[k] || 0})`)));
  $('kinds').dataset.total = total;
  $('summary').textContent = result.total === 1 ? '1 plugin' : `${result.total} plugins`;
  $('results').replaceChildren(...result.hits.map((hit) => el('li', {class: 'hit'},
    el('a', {href: '#/plugin/' + encodeURIComponent(hit.bundle), class: 'hit-name'}, hit.name || hit.bundle),
    hit.kinds.map((k) => el('span', {class: 'kind'}, k)),
    el('div', {class: 'summary'}, hit.summary || ''),
    el('div', {class: 'ids'}, `${hit.bundle} ${hit.version} · ${hit.extensions.join(', ')}`))));
  const pages = Math.ceil(result.total / result.pageSize);
  const links = [];
  if (page > 1) links.push(el('a', {href: searchHash(q, kind, page - 1)}, '← previous'), ' ');
  if (page < pages) links.push(el('a', {href: searchHash(q, kind, page + 1)}, 'next →'));
  $('pages').replaceChildren(...links);
}

async function showPlugin(id) {
  const p = await getJson('/api/plugins/' + encodeURIComponent(id));
  $('search-view').hidden = true;
  const view = $('plugin-view');
  const paper = p.paper && safeUrl(p.paper.url)
    ? el('p', {}, 'Implements ', el('a', {href: safeUrl(p.paper.url), id: 'paper'}, p.paper.title || p.paper.url))
    : '';
  const homepage = safeUrl(p.homepage) ? el('a', {href: safeUrl(p.homepage)}, p.homepage) : '';
  view.replaceChildren(
    el('h1', {id: 'plugin-name'}, p.name || p.bundle),
    el('p', {class: 'summary'}, p.summary || ''),
    // A one-sentence description is its own summary: show it once.
    el('p', {}, p.description && p.description !== p.summary ? p.description : ''),
    paper,
    el('h2', {}, 'Install'),
    el('code', {class: 'install', id: 'install'}, p.install),
    el('h2', {}, 'Extensions'),
    el('ul', {}, p.extensions.map((e) => el('li', {}, el('span', {class: 'kind'}, e.kind), ' ', e.id,
      e.description ? ' — ' + e.description : ''))),
    el('h2', {}, 'Versions'),
    el('table', {id: 'versions'},
      el('tr', {}, el('th', {}, 'version'), el('th', {}, 'repository'), el('th', {}, 'API'),
        el('th', {}, 'SHA-256')),
      p.versions.map((v) => el('tr', {}, el('td', {}, el('a', {href: v.url}, v.version)),
        el('td', {}, v.repository), el('td', {}, v.api || ''), el('td', {}, el('code', {}, v.sha256 || ''))))),
    el('h2', {}, 'Dependencies'),
    p.requires.length === 0 ? el('p', {id: 'requires'}, 'None.')
      : el('ul', {id: 'requires'}, p.requires.map((d) => el('li', {}, d.available
        ? el('a', {href: '#/plugin/' + encodeURIComponent(d.bundle)}, d.name || d.bundle)
        : `${d.bundle} (not in this catalog)`))),
    p.requiredBy.length ? el('p', {}, 'Required by: ', p.requiredBy.join(', ')) : '',
    el('h2', {}, 'About'),
    el('p', {}, `${p.bundle} · ${p.license || 'no license given'} · ${(p.authors || []).join(', ')} `, homepage),
    p.keywords.length ? el('p', {}, 'Keywords: ' + p.keywords.join(', ')) : '');
  view.hidden = false;
  document.title = (p.name || p.bundle) + ' — Recursa plugin catalog';
}

async function route() {
  showError('');
  const hash = location.hash || '#/';
  try {
    if (hash.startsWith('#/plugin/')) {
      await showPlugin(decodeURIComponent(hash.substring('#/plugin/'.length)));
    } else {
      const query = hash.indexOf('?') >= 0 ? hash.substring(hash.indexOf('?') + 1) : '';
      await showSearch(new URLSearchParams(query));
    }
  } catch (e) {
    showError(e.message);
  }
}

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  location.hash = searchHash($('q').value.trim(), '', 1);
});
window.addEventListener('hashchange', route);
route();
