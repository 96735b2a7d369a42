{# The BasemapLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var styles = {{ this.style_json }};  // countries, then lakes: a feature's s picks one
  var pane = map.createPane('rm-basemap');
  // under the tile pane (200): loaded tiles cover it, failed ones (offline) show it
  pane.style.zIndex = 150;
  function add(data) {
    L.geoJSON(data, {
      style: function (f) { return styles[f.properties.s || 0]; },
      interactive: false, pane: 'rm-basemap'
    }).addTo(map);
  }
  {% if this.url %}
  fetch({{ this.url_json }}).then(function (r) { return r.json(); }).then(add);
  {% else %}
  add({{ this.data_json }});
  {% endif %}
})();
