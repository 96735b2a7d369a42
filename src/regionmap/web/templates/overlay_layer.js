{# The OverlayLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var radius = {{ this.radius_json }};
  var cls = {{ this.class_json }};
  var g = L.geoJSON({{ this.data_json }}, {
    style: function (f) { return f.properties.style; },
    pointToLayer: function (f, ll) {
      return L.circleMarker(ll, Object.assign({radius: radius}, f.properties.style));
    },
    onEachFeature: function (f, l) {
      l.bindTooltip(f.properties.tip, {sticky: true});
      var div = document.createElement('div');
      div.innerHTML = f.properties.popup;
      l.bindPopup(div, {maxWidth: 380});
    }
  }).addTo(map);
  g.eachLayer(function (l) {
    var el = l.getElement && l.getElement();
    if (el) { el.classList.add(cls); }
  });
  window.regionmapLayers = window.regionmapLayers || {};
  window.regionmapLayers[{{ this.id_json }}] = g;
})();
