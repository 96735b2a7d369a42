{# The EventAggregateLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var cells = {{ this.cells_json }}, colors = {{ this.colors_json }};
  var g = L.layerGroup();
  cells.forEach(function (c) {
    L.circleMarker([c[1], c[0]], {radius: c[3], color: '#333', weight: 1,
      fillColor: colors[c[4]] || '#636363', fillOpacity: 0.7})
      .bindTooltip(c[2] + ' events; most: ' + c[5]).addTo(g);
  });
  g.addTo(map);
  window.regionmapEventCells = g;
})();
