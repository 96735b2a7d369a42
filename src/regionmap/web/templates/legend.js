{# The Legend element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var Legend = L.Control.extend({onAdd: function () {
    var d = L.DomUtil.create('div', 'rm-legend'); d.innerHTML = {{ this.html_json }};
    d.setAttribute('data-testid', 'rm-legend'); L.DomEvent.disableScrollPropagation(d);
    return d; }});
  var legend = new Legend({position: 'bottomright'}).addTo(map);
  // Rows of layers (and theatres) that draw nothing in view are hidden, as the print
  // legend leaves them out: a map of the Lachin corridor does not explain Libya.
  function keepInView() {
    var b = map.getBounds();
    legend.getContainer().querySelectorAll('[data-bbox]').forEach(function (row) {
      var v = row.getAttribute('data-bbox').split(',').map(Number);
      var shown = b.intersects(L.latLngBounds([v[1], v[0]], [v[3], v[2]]));
      row.style.display = shown ? '' : 'none';
    });
  }
  map.whenReady(keepInView);
  map.on('moveend', keepInView);
  if (!{{ this.fit_json }}) { return; }
  // An exported page cannot scroll: the whole legend must lie inside the map. More columns
  // first, then smaller text, until its height fits the map's (less the corner margins).
  var d = legend.getContainer(), body = d.querySelector('details');
  var room = map.getContainer().getBoundingClientRect().height - 24;
  var wide = map.getContainer().getBoundingClientRect().width * 0.6;
  d.classList.add('rm-fitted');
  var one = body.getBoundingClientRect().width;
  function tall() { return d.getBoundingClientRect().height > room; }
  for (var cols = 2; cols <= 3 && tall() && (one + 16) * cols <= wide; cols++) {
    body.style.columnCount = String(cols); body.style.columnGap = '16px';
    body.style.width = ((one + 16) * cols) + 'px';
  }
  for (var size = 10.5; size >= 7 && tall(); size -= 0.5) {
    d.style.fontSize = size + 'px';
  }
  d.setAttribute('data-fitted', tall() ? 'overflow' : 'ok');
})();
