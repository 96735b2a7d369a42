{# The LayerToggles element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var titles = {{ this.titles_json }}, overlays = {};
  var layers = window.regionmapLayers || {};
  Object.keys(layers).forEach(function (id) { overlays[titles[id] || id] = layers[id]; });
  if (window.regionmapEvents) { overlays[titles.events] = window.regionmapEvents; }
  L.control.layers(null, overlays, {collapsed: true, position: 'topright'})
    .addTo({{ this._parent.get_name() }});
})();
