// The search page: Pagefind's UI over the site's index, in Spanish, with the filters the index
// carries (tipo, grupo, lugar, año, periodo). `?q=` fills it in and runs it, and the address
// follows what the reader types, so a search can be shared as a link.
(function () {
  'use strict';
  var box = document.getElementById('buscador');
  if (!box || !window.PagefindUI) return;
  // The site's own path ("/repo/"), so results work under any sub-path.
  var root = new URL(box.getAttribute('data-root'), window.location.href).pathname;
  var ui = new window.PagefindUI({
    element: '#buscador',
    bundlePath: new URL(box.getAttribute('data-bundle'), window.location.href).pathname,
    baseUrl: root,
    showImages: false,
    showSubResults: true,
    excerptLength: 28,
    resetStyles: false,
    autofocus: !new URLSearchParams(window.location.search).get('q'),
    translations: {
      placeholder: 'Buscar cifras, boletines, indicadores, lugares',
      search_label: 'Buscar en el sitio',
      zero_results: 'No hay resultados para [SEARCH_TERM]. Pruebe con menos palabras o sin filtros.'
    }
  });
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) ui.triggerSearch(q);
  box.addEventListener('input', function (event) {
    var input = event.target;
    if (!input || input.type !== 'text' && input.type !== 'search') return;
    var url = new URL(window.location.href);
    if (input.value) url.searchParams.set('q', input.value);
    else url.searchParams.delete('q');
    window.history.replaceState(null, '', url);
  });
})();
