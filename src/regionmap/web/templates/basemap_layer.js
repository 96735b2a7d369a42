{# The BasemapLayer element's script: a Jinja macro body that folium renders. Values in `this` are JSON made safe by script_json. -#}
(function () {
  var map = {{ this._parent.get_name() }};
  var styles = {{ this.style_json }};  // countries, then lakes: a feature's s picks one
  var pane = map.createPane('rm-basemap');
  // under the tile pane (200): loaded tiles cover it, failed ones (offline) show it
  pane.style.zIndex = 150;
  // Offline, the land lies on the sea's colour, and the ground beyond the region the
  // basemap is clipped to is greyed and edged: it is not sea, there is just no data.
  var sea = {{ this.sea_json }};
  map.getContainer().style.background = sea.sea;
  if (sea.region) {
    var r = sea.region, world = [[-89.9, -539], [89.9, -539], [89.9, 539], [-89.9, 539]];
    L.polygon([world, [[r[1], r[0]], [r[3], r[0]], [r[3], r[2]], [r[1], r[2]]]], {
      color: '#9a9a9a', weight: 1, dashArray: '4 4', fillColor: sea.outside, fillOpacity: 1,
      interactive: false, pane: 'rm-basemap', className: 'rm-outside'
    }).addTo(map);
  }
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
