{# The BasemapLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var style = {{ this.style_json }};
  var pane = map.createPane('rm-basemap');
  // under the tile pane (200): loaded tiles cover it, failed ones (offline) show it
  pane.style.zIndex = 150;
  function add(data) {
    L.geoJSON(data, {style: style, interactive: false, pane: 'rm-basemap'}).addTo(map);
  }
  {% if this.url %}
  fetch({{ this.url_json }}).then(function (r) { return r.json(); }).then(add);
  {% else %}
  add({{ this.data_json }});
  {% endif %}
})();
