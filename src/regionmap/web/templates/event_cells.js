{# The EventAggregateLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var cells = {{ this.cells_json }}, colors = {{ this.colors_json }};
  // one canvas for every cell: playback resizes hundreds of them per frame, which costs an
  // SVG map a path redrawn each (a third of the frame rate), a canvas one repaint
  // beneath the overlay layers (pane 400), as the halos are: at 100,000 events the discs
  // covered the Lachin corridor and the Sochi strips, the map's subject (a new user's trial)
  if (!map.getPane('rmCells')) { map.createPane('rmCells').style.zIndex = 390; }
  var g = L.layerGroup(), layers = [], canvas = L.canvas({padding: 0.5, pane: 'rmCells'});
  cells.forEach(function (c) {
    var l = L.circleMarker([c[1], c[0]], {radius: c[3], color: '#333', weight: 1,
      fillColor: colors[c[4]] || '#636363', fillOpacity: 0.7, renderer: canvas, pane: 'rmCells'})
      .bindTooltip(function (l) { return l.rmCount + ' events; most: ' + c[5]; }).addTo(g);
    l.rmCount = c[2];  // playback changes it (templates/playback.js)
    layers.push(l);
  });
  g.addTo(map);
  g.rmCells = layers;
  g.rmBiggest = {{ this.biggest_json }};  // radius = 4 + 16 * sqrt(count / biggest), px
  window.regionmapEventCells = g;
})();
